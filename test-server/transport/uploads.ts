import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app.js';
import { verifyToken } from '../auth/jwt.js';
import { DomainError, nowIso } from '../domain/errors.js';
import { wire } from '../handlers/chat.js';

interface StoredFile {
  id: string;
  name: string;
  type: string;
  data: Buffer;
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

/**
 * File sharing as the reference does it next to the sockets: an HTTP upload (`POST /dev/upload?
 * consultationId=&fileName=`, bearer token, raw body) reports `file_upload_progress` /
 * `file_upload_error` to the uploader's sockets and ends as a FILE chat message (`new_message`).
 */
export class Uploads {
  private readonly files = new Map<string, StoredFile>();

  constructor(
    private readonly app: App,
    private readonly maxBytes: number,
  ) {}

  async upload(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const { app } = this;
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header)?.[1] : undefined;
    const verified = verifyToken(app.options.tokenSecret, token);
    if (!verified.ok)
      return json(response, 401, { error: verified.reason === 'expired' ? 'socket_error:token_expired' : 'socket_error:unauthorized' });
    const userId = verified.claims.sub;
    const role = verified.claims.role as Parameters<App['consultations']['requireAccess']>[2];
    const fileName = url.searchParams.get('fileName') ?? 'file';
    let consultation;
    try {
      consultation = app.consultations.requireAccess(url.searchParams.get('consultationId'), userId, role);
    } catch (error) {
      if (error instanceof DomainError) return json(response, error.code === 'forbidden' ? 403 : 404, { error: error.message });
      throw error;
    }
    const fileId = randomUUID();
    const consultationId = consultation.id;
    const total = Number(request.headers['content-length'] ?? 0);
    const progress = (percent: number) => app.hub.toMember(consultationId, userId, 'file_upload_progress', { percent, fileId });
    const fail = (status: number, error: string) => {
      app.hub.toMember(consultationId, userId, 'file_upload_error', { error, fileId });
      request.resume();
      json(response, status, { error, fileId });
    };
    if (total > this.maxBytes) return fail(413, `File too large: at most ${this.maxBytes} bytes`);
    const chunks: Buffer[] = [];
    let received = 0;
    let reported = -1;
    for await (const chunk of request) {
      received += (chunk as Buffer).length;
      if (received > this.maxBytes) return fail(413, `File too large: at most ${this.maxBytes} bytes`);
      chunks.push(chunk as Buffer);
      const percent = total > 0 ? Math.min(99, Math.floor((received / total) * 100)) : 0;
      if (percent >= reported + 10) {
        reported = percent;
        progress(percent);
      }
    }
    const type = request.headers['content-type'] ?? 'application/octet-stream';
    this.files.set(fileId, { id: fileId, name: fileName, type, data: Buffer.concat(chunks) });
    progress(100);
    const person = app.consultations.person(userId, role);
    const fileUrl = `${app.baseUrl()}/dev/files/${fileId}`;
    const message = app.chat.add({
      consultationId,
      userId,
      role,
      firstName: person.firstName,
      lastName: person.lastName,
      content: fileName,
      messageType: type.startsWith('image/') ? 'IMAGE' : 'FILE',
      file: { url: fileUrl, name: fileName, size: received, type },
    });
    app.hub.toConsultation(consultationId, 'new_message', {
      message: wire(message),
      consultationId,
      timestamp: nowIso(),
      id: message.id,
      content: message.content,
      senderId: message.senderId,
      senderName: message.senderName,
      clientUuid: message.clientUuid,
    });
    json(response, 200, { fileId, messageId: message.id, url: fileUrl });
  }

  download(response: ServerResponse, fileId: string): void {
    const file = this.files.get(fileId);
    if (!file) return json(response, 404, { error: 'no such file' });
    response.writeHead(200, {
      'Content-Type': file.type,
      'Content-Length': file.data.length,
      'Content-Disposition': `inline; filename="${file.name.replace(/"/g, '')}"`,
    });
    response.end(file.data);
  }
}
