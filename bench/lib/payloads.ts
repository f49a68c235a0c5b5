import { chatNamespace, checkPayload } from '../../src/contract/index.js';

/** A `new_message` as the test server (and the reference backend) sends it: nested message + flattened fields. */
export function newMessageEvent(consultationId = 42) {
  const createdAt = '2025-01-15T10:30:00.000Z';
  const message = {
    id: 1234,
    consultationId,
    userId: 'dr-1',
    senderId: 'dr-1',
    senderName: 'Alice Martin',
    senderRole: 'PRACTITIONER',
    content: 'Hello, how are you feeling today? Please describe your symptoms.',
    messageType: 'TEXT',
    clientUuid: '6f1c1b2e-8a0a-4f5e-9d4b-2b3c4d5e6f70',
    createdAt,
    timestamp: createdAt,
    editedAt: null,
    deletedAt: null,
    isSystem: false,
    isRead: false,
    readAt: null,
    deliveryStatus: 'SENT',
    mediaUrl: null,
    mediaType: null,
    fileName: null,
    fileSize: null,
    replyToId: null,
    user: { id: 'dr-1', firstName: 'Alice', lastName: 'Martin', role: 'PRACTITIONER' },
    readReceipts: [],
  };
  const event = {
    message,
    consultationId,
    timestamp: createdAt,
    id: message.id,
    content: message.content,
    senderId: message.senderId,
    senderName: message.senderName,
    clientUuid: message.clientUuid,
  };
  assertValid('new_message', event);
  return event;
}

/** A `send_message` as the SDK's chat store sends it. */
export function sendMessagePayload(consultationId = 42) {
  const payload = {
    consultationId,
    userId: 'patient-1',
    role: 'PATIENT' as const,
    content: 'I have had a headache since yesterday evening and a slight fever.',
    clientUuid: '0b5e7c1a-3d2f-4e6a-8b9c-1d2e3f4a5b6c',
  };
  assertValid('send_message', payload);
  return payload;
}

function assertValid(event: string, payload: unknown): void {
  const check = checkPayload(chatNamespace, event, payload);
  if (!check.ok) throw new Error(`benchmark payload is invalid: ${check.message}`);
}
