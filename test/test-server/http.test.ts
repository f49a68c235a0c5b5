import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { verifyToken } from '../../test-server/index.js';
import { cleanup, next, record, scenario, server, until } from './helpers.js';

afterEach(cleanup);

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: 'http://localhost:5173' },
    body: JSON.stringify(body),
  });

describe('dev endpoints', () => {
  test('GET /dev/health → { ok: true } with CORS headers', async () => {
    const srv = await server();
    const response = await fetch(`${srv.url}/dev/health`, { headers: { Origin: 'http://localhost:5173' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const preflight = await fetch(`${srv.url}/dev/token`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  test('POST /dev/token → { token } signed for that user and role', async () => {
    const srv = await server({ tokenSecret: 'dev-secret' });
    const response = await post(`${srv.url}/dev/token`, { userId: 'dr-7', role: 'PRACTITIONER', ttlSeconds: 120 });
    const body = (await response.json()) as { token: string };
    expect(Object.keys(body)).toEqual(['token']);
    const verified = verifyToken('dev-secret', body.token);
    expect(verified).toMatchObject({ ok: true, claims: { sub: 'dr-7', role: 'PRACTITIONER' } });
    if (verified.ok) expect(verified.claims.exp - verified.claims.iat).toBe(120);
    const bad = await post(`${srv.url}/dev/token`, { userId: 'x', role: 'KING' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('role');
  });

  test('POST /dev/consultations → { consultationId }, SCHEDULED by default', async () => {
    const srv = await server();
    const response = await post(`${srv.url}/dev/consultations`, { practitionerId: 'dr-1', patientId: 'p-1' });
    const body = (await response.json()) as { consultationId: number };
    expect(Object.keys(body)).toEqual(['consultationId']);
    const consultation = srv.domain.consultations.get(body.consultationId);
    expect(consultation).toMatchObject({ status: 'SCHEDULED', practitionerId: 'dr-1', patientId: 'p-1' });
    const active = (await (
      await post(`${srv.url}/dev/consultations`, { practitionerId: 'dr-1', patientId: 'p-2', status: 'ACTIVE' })
    ).json()) as {
      consultationId: number;
    };
    expect(srv.domain.consultations.get(active.consultationId)?.status).toBe('ACTIVE');
    expect((await post(`${srv.url}/dev/consultations`, { practitionerId: 'dr-1' })).status).toBe(400);
    expect((await post(`${srv.url}/dev/consultations`, { patientId: 'p', status: 'NOPE' })).status).toBe(400);
    const malformed = await fetch(`${srv.url}/dev/consultations`, { method: 'POST', body: '{not json' });
    expect(malformed.status).toBe(400);
  });

  test('static files from staticDir, no escape from it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hcw-static-'));
    await writeFile(join(dir, 'index.html'), '<h1>demo</h1>');
    await writeFile(join(dir, 'app.js'), 'console.log(1)');
    const srv = await server({ staticDir: dir });
    const index = await fetch(`${srv.url}/`);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(await index.text()).toBe('<h1>demo</h1>');
    expect((await fetch(`${srv.url}/app.js`)).headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${srv.url}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(`${srv.url}/missing.js`)).status).toBe(404);
  });

  test('seeded consultations exist at start', async () => {
    const srv = await server({
      seed: [
        { practitionerId: 'dr-1', patientId: 'p-1' },
        { patientId: 'p-2', status: 'WAITING' },
      ],
    });
    expect(srv.domain.consultations.list().map((c) => [c.practitionerId, c.status])).toEqual([
      ['dr-1', 'SCHEDULED'],
      [null, 'WAITING'],
    ]);
  });
});

describe('file sharing', () => {
  test('POST /dev/upload: progress to the uploader, a FILE message to the room, the file downloadable; too large → file_upload_error', async () => {
    const s = await scenario({ status: 'ACTIVE', maxUploadBytes: 100_000 });
    const patient = await s.patient(['/consultation', '/chat']);
    const doctorChat = (await s.practitioner(['/chat'])).socket('/chat');
    const progress = record(patient.socket('/consultation'), 'file_upload_progress');
    const message = next(doctorChat, 'new_message');
    const token = s.server.createToken(s.patientId, 'PATIENT');
    const body = Buffer.alloc(60_000, 7);
    const response = await fetch(`${s.server.url}/dev/upload?consultationId=${s.consultationId}&fileName=report.pdf`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/pdf' },
      body,
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { fileId: string; url: string; messageId: number };
    const event = await message;
    expect(event.message).toMatchObject({
      messageType: 'FILE',
      fileName: 'report.pdf',
      fileSize: 60_000,
      mediaUrl: answer.url,
      mediaType: 'application/pdf',
    });
    await until(() => progress.some((p) => p.percent === 100));
    expect(progress.every((p) => p.fileId === answer.fileId)).toBe(true);
    const download = await fetch(answer.url);
    expect(Buffer.from(await download.arrayBuffer()).equals(body)).toBe(true);

    const failed = next(patient.socket('/consultation'), 'file_upload_error');
    const tooBig = await fetch(`${s.server.url}/dev/upload?consultationId=${s.consultationId}&fileName=big.bin`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: Buffer.alloc(200_000),
    });
    expect(tooBig.status).toBe(413);
    expect((await failed).error).toContain('too large');
    expect(s.server.domain.chat.all(s.consultationId)).toHaveLength(1);
    const anonymous = await fetch(`${s.server.url}/dev/upload?consultationId=${s.consultationId}`, { method: 'POST', body: 'x' });
    expect(anonymous.status).toBe(401);
  });
});
