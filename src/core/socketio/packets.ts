/**
 * Socket.IO protocol v5 packets (the socket.io-parser format) and their Engine.IO v4 framing: a
 * packet is one text frame `<type>[<attachments>-][<nsp>,][<ack id>][<json>]`, followed by one binary
 * frame per attachment (binary values are replaced by `{ _placeholder: true, num }`).
 */
export const enum PacketType {
  Connect = 0,
  Disconnect = 1,
  Event = 2,
  Ack = 3,
  ConnectError = 4,
  BinaryEvent = 5,
  BinaryAck = 6,
}

export interface Packet {
  type: PacketType;
  nsp: string;
  id?: number;
  data?: unknown;
}

/** Binary values as the wire carries them. */
export type Binary = ArrayBuffer | ArrayBufferView;

const isBinary = (value: unknown): value is Binary => value instanceof ArrayBuffer || ArrayBuffer.isView(value);

/** The frames of one packet: its text, then its attachments. */
export function encodePacket(packet: Packet): (string | Binary)[] {
  const attachments: Binary[] = [];
  const { data } = packet;
  // Binary values become placeholders (the replacer sees each raw value as its holder has it,
  // before `toJSON`: a Node Buffer is still a Buffer there); most payloads have none and pay one walk.
  const json =
    data === undefined
      ? ''
      : hasBinary(data)
        ? JSON.stringify(data, function (this: Record<string, unknown>, key: string, value: unknown) {
            const raw = this[key];
            return isBinary(raw) ? { _placeholder: true, num: attachments.push(raw) - 1 } : value;
          })
        : JSON.stringify(data);
  let type = packet.type;
  if (attachments.length > 0) type = type === PacketType.Ack ? PacketType.BinaryAck : PacketType.BinaryEvent;
  let text = String(type);
  if (attachments.length > 0) text += `${attachments.length}-`;
  if (packet.nsp !== '/') text += `${packet.nsp},`;
  if (packet.id !== undefined) text += packet.id;
  return [text + json, ...attachments];
}

const hasBinary = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (isBinary(value) || Object.values(value).some(hasBinary));

/**
 * Reassembles packets from frames: a text frame is a packet, unless it announces attachments, which
 * the next binary frames complete. Throws on a frame that is not a packet (the connection closes it).
 */
export class PacketDecoder {
  private pending: { packet: Packet; attachments: unknown[]; count: number } | undefined;

  /** The packet the frame completes, if it completes one. */
  decode(frame: string | Binary): Packet | undefined {
    if (typeof frame !== 'string') {
      const pending = this.pending;
      if (!pending) throw new Error('unexpected binary frame');
      pending.attachments.push(frame);
      if (pending.attachments.length < pending.count) return undefined;
      this.pending = undefined;
      pending.packet.data = reconstruct(pending.packet.data, pending.attachments);
      return pending.packet;
    }
    if (this.pending) throw new Error('text frame while attachments were awaited');
    const match = /^([0-6])(?:(\d+)-)?(?:(\/[^,]*),)?(\d+)?([\s\S]*)$/.exec(frame);
    if (!match) throw new Error('not a Socket.IO packet');
    const packet: Packet = { type: Number(match[1]), nsp: match[3] ?? '/' };
    if (match[4] !== undefined) packet.id = Number(match[4]);
    if (match[5]) packet.data = JSON.parse(match[5]);
    if (!isValid(packet)) throw new Error('invalid Socket.IO packet');
    const count = Number(match[2] ?? 0);
    if (count === 0) return packet;
    this.pending = { packet, attachments: [], count };
    return undefined;
  }

  /** Forgets a packet still awaiting attachments (the connection closed). */
  reset(): void {
    this.pending = undefined;
  }
}

function isValid({ type, data }: Packet): boolean {
  switch (type) {
    case PacketType.Connect:
      return data === undefined || (typeof data === 'object' && data !== null);
    case PacketType.Disconnect:
      return data === undefined;
    case PacketType.ConnectError:
      return typeof data === 'string' || (typeof data === 'object' && data !== null);
    case PacketType.Event:
    case PacketType.BinaryEvent:
      return Array.isArray(data) && typeof data[0] === 'string';
    default:
      return Array.isArray(data);
  }
}

function reconstruct(value: unknown, attachments: unknown[]): unknown {
  if (Array.isArray(value)) return value.map((item) => reconstruct(item, attachments));
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record._placeholder === true && typeof record.num === 'number') return attachments[record.num];
    for (const key of Object.keys(record)) record[key] = reconstruct(record[key], attachments);
  }
  return value;
}
