import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { consultationStatus, role as roleSchema } from '../../src/contract/index.js';
import { z } from 'zod';
import type { Domain } from '../app.js';
import type { TestServerLogger } from '../options.js';

/** What the dev endpoints do (the server object provides them). */
export interface DevApi {
  createToken(userId: string, role: string, ttlSeconds?: number): string;
  createConsultation(input: { practitionerId?: string | null; patientId: string; status?: z.infer<typeof consultationStatus> }): number;
  upload(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void>;
  download(response: ServerResponse, fileId: string): void;
  /** The waiting list of `GET /dev/consultations/:id/waiting` (undefined: no such consultation). */
  waitingPatients(consultationId: string): WaitingPatientRow[] | undefined;
}

/**
 * A waiting patient as `GET /dev/consultations/:id/waiting` lists them: what an app's own backend
 * REST API gives its practitioner dashboard (the reference HCW@Home backend tells a practitioner who
 * connects after the patient nothing over its sockets). Ids as the profile's wire (numbers under
 * the reference profile), oldest first.
 */
export interface WaitingPatientRow {
  patientId: string | number;
  consultationId: number;
  firstName: string;
  joinedAt: string;
}

/** The patients waiting in one consultation (status WAITING), from the domain. Both profiles. */
export function waitingPatientsOf(
  domain: Pick<Domain, 'consultations' | 'waitingRoom'>,
  consultationId: string,
  numericIds: boolean,
): WaitingPatientRow[] | undefined {
  const consultation = domain.consultations.get(consultationId);
  if (!consultation) return undefined;
  if (consultation.status !== 'WAITING') return [];
  return domain.waitingRoom
    .all()
    .filter((session) => session.consultationId === consultation.id)
    .sort((a, b) => a.joinedAt.localeCompare(b.joinedAt))
    .map((session) => ({
      patientId: numericIds && /^[1-9]\d{0,14}$/.test(session.patientId) ? Number(session.patientId) : session.patientId,
      consultationId: consultation.id,
      firstName: domain.consultations.person(session.patientId, 'PATIENT').firstName,
      joinedAt: session.joinedAt,
    }));
}

const WAITING_PATH = /^\/dev\/consultations\/([^/]+)\/waiting$/;

const userId = z.union([z.string().min(1), z.number().int()]).transform(String);
const tokenRequest = z.object({ userId, role: roleSchema, ttlSeconds: z.number().int().positive().optional() });
const consultationRequest = z.object({
  practitionerId: userId.nullish(),
  patientId: userId,
  status: z.optional(consultationStatus),
});

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

const MAX_BODY = 64 * 1024;

function cors(request: IncomingMessage, response: ServerResponse): void {
  response.setHeader('Access-Control-Allow-Origin', request.headers.origin ?? '*');
  response.setHeader('Vary', 'Origin');
  response.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  response.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
  response.setHeader('Access-Control-Expose-Headers', 'Content-Length');
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function problem(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}

/** Sends the file `pathname` names under `root` (a folder: its index.html); false when there is none (or it is outside `root`). */
export async function serveStatic(root: string, pathname: string, response: ServerResponse): Promise<boolean> {
  const base = resolve(root);
  let file = normalize(join(base, decodeURIComponent(pathname)));
  if (file !== base && !file.startsWith(base + sep)) return false;
  try {
    let info = await stat(file);
    if (info.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file);
    }
    if (!info.isFile()) return false;
    response.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Length': info.size });
    createReadStream(file).pipe(response);
    return true;
  } catch {
    return false;
  }
}

/**
 * Plain HTTP next to Socket.IO: `POST /dev/token`, `POST /dev/consultations`, `GET /dev/health`,
 * `GET /dev/consultations/:id/waiting` (the waiting list, standing in for the app's own backend REST
 * API), `POST /dev/upload` + `GET /dev/files/:id` (file sharing), static files from `staticDir`,
 * CORS for development. Tokens are never logged.
 */
export function createRequestHandler(api: DevApi, options: { staticDir: string | undefined; logger: TestServerLogger }) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    cors(request, response);
    const url = new URL(request.url ?? '/', 'http://localhost');
    const { pathname } = url;
    try {
      if (request.method === 'OPTIONS') {
        response.writeHead(204);
        response.end();
        return;
      }
      if (pathname === '/dev/health' && request.method === 'GET') return json(response, 200, { ok: true });
      if (pathname === '/dev/token' && request.method === 'POST') {
        const body = tokenRequest.safeParse(await readJson(request));
        if (!body.success) return json(response, 400, { error: problem(body.error) });
        options.logger.info(`token issued for ${body.data.userId} (${body.data.role})`);
        return json(response, 200, { token: api.createToken(body.data.userId, body.data.role, body.data.ttlSeconds) });
      }
      if (pathname === '/dev/consultations' && request.method === 'POST') {
        const body = consultationRequest.safeParse(await readJson(request));
        if (!body.success) return json(response, 400, { error: problem(body.error) });
        const consultationId = api.createConsultation({
          practitionerId: body.data.practitionerId ?? null,
          patientId: body.data.patientId,
          ...(body.data.status ? { status: body.data.status } : {}),
        });
        return json(response, 200, { consultationId });
      }
      const waiting = request.method === 'GET' ? WAITING_PATH.exec(pathname) : null;
      if (waiting) {
        const list = api.waitingPatients(decodeURIComponent(waiting[1]!));
        return list ? json(response, 200, list) : json(response, 404, { error: `no consultation ${waiting[1]}` });
      }
      if (pathname === '/dev/upload' && request.method === 'POST') return await api.upload(request, response, url);
      if (pathname.startsWith('/dev/files/') && request.method === 'GET')
        return api.download(response, pathname.slice('/dev/files/'.length));
      if (pathname.startsWith('/dev/')) return json(response, 404, { error: `no dev endpoint ${request.method} ${pathname}` });
      if (request.method === 'GET' && options.staticDir && (await serveStatic(options.staticDir, pathname, response))) return;
      json(response, 404, { error: 'not found' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      json(response, 400, { error: message });
    }
  };
}
