/**
 * HBTP/1 frames and metadata blocks: the 8-byte little-endian header (opcode, flags, u16 sequence, u32
 * length), splitting a message into frames and checking every frame read before anything is kept of it.
 */

export const Opcode = {
  PING: 0x00,
  PONG: 0x01,
  CLOSE: 0x02,
  HELLO: 0x03,
  HELLO_ACK: 0x04,
  STATE_SYNC: 0x10,
  STATE_DELTA: 0x11,
  SUBSCRIBE: 0x12,
  UNSUBSCRIBE: 0x13,
  RPC_CALL: 0x30,
  RPC_RESPONSE: 0x31,
  RPC_ERROR: 0x32,
  CANCEL: 0x33,
  CLIENT_EVENT: 0x40,
  SERVER_EVENT: 0x41,
} as const;

const KNOWN_OPCODES = new Set<number>(Object.values(Opcode));

export const Flag = {
  COMPRESSED: 0x01,
  ENCRYPTED: 0x02,
  EXPECTS_RESPONSE: 0x04,
  FINAL: 0x08,
  METADATA: 0x10,
  RESERVED: 0xe0,
} as const;

export const Capability = {
  ZSTD: 0x0001,
  ENCRYPTION: 0x0002,
  METADATA: 0x0004,
  STATE: 0x0008,
} as const;

export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  UNSUPPORTED: 1003,
  POLICY: 1008,
  TOO_LARGE: 1009,
  INTERNAL_ERROR: 1011,
} as const;

export const HEADER_SIZE = 8;
export const VERSION = 1;
/** The spec's default bound of a metadata block. */
export const MAX_METADATA_SIZE = 8 << 10;
/** Whole frames share one WebSocket message up to this size; a larger frame goes alone. */
export const PACK_LIMIT = 64 << 10;

export interface Frame {
  opcode: number;
  flags: number;
  sequence: number;
  payload: Uint8Array;
}

/** A violation of the protocol by the peer: the connection closes with {@link code}. */
export class ProtocolViolation extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = 'ProtocolViolation';
  }
}

/** One frame: header and payload in one array. */
export function encodeFrame(opcode: number, flags: number, sequence: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE + payload.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, opcode);
  view.setUint8(1, flags);
  view.setUint16(2, sequence, true);
  view.setUint32(4, payload.length, true);
  out.set(payload, HEADER_SIZE);
  return out;
}

/**
 * The frames of one message: FINAL on the last only, each payload at most {@code maxFrameLength} (the peer's),
 * opcode, sequence and the other flags repeated.
 */
export function encodeMessage(opcode: number, flags: number, sequence: number, body: Uint8Array,
                              maxFrameLength: number): Uint8Array[] {
  const frames: Uint8Array[] = [];
  const other = flags & ~Flag.FINAL;
  let at = 0;
  do {
    const end = Math.min(body.length, at + maxFrameLength);
    frames.push(encodeFrame(opcode, end === body.length ? other | Flag.FINAL : other, sequence, body.subarray(at, end)));
    at = end;
  } while (at < body.length);
  return frames;
}

/**
 * The frames of one WebSocket message, which must hold whole frames. Every header is checked before its
 * payload is taken: reserved flags (1002), unknown opcode (1003), a length over {@code maxFrameLength} (1009),
 * a message that ends inside a frame (1002). Payloads are views of {@code message}, not copies.
 */
export function decodeFrames(message: Uint8Array, maxFrameLength: number): Frame[] {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const frames: Frame[] = [];
  let at = 0;
  while (at < message.length) {
    if (message.length - at < HEADER_SIZE) {
      throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, 'a WebSocket message ends inside an HBTP frame header');
    }
    const opcode = view.getUint8(at);
    const flags = view.getUint8(at + 1);
    const sequence = view.getUint16(at + 2, true);
    const length = view.getUint32(at + 4, true);
    if ((flags & Flag.RESERVED) !== 0) {
      throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, `reserved flag bits 0x${(flags & Flag.RESERVED).toString(16)} set`);
    }
    if (!KNOWN_OPCODES.has(opcode)) {
      throw new ProtocolViolation(CloseCode.UNSUPPORTED, `unknown opcode 0x${opcode.toString(16)}`);
    }
    if (length > maxFrameLength) {
      throw new ProtocolViolation(CloseCode.TOO_LARGE, `frame length ${length} exceeds the maximum of ${maxFrameLength}`);
    }
    if (message.length - at - HEADER_SIZE < length) {
      throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, 'a WebSocket message ends inside an HBTP frame');
    }
    frames.push({opcode, flags, sequence, payload: message.subarray(at + HEADER_SIZE, at + HEADER_SIZE + length)});
    at += HEADER_SIZE + length;
  }
  return frames;
}

/** What a HELLO or HELLO_ACK says. */
export interface Hello {
  version: number;
  capabilities: number;
  maxFrameLength: number;
  maxMessageLength: number;
  /** The 32-byte X25519 public key, present when the ENCRYPTION capability is offered or granted. */
  publicKey?: Uint8Array;
}

const MAGIC = [0x48, 0x42, 0x54, 0x50]; // "HBTP"

export function encodeHello(hello: Hello): Uint8Array {
  const out = new Uint8Array(hello.publicKey ? 48 : 16);
  if (hello.publicKey) {
    out.set(hello.publicKey, 16);
  }
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint8(4, hello.version);
  view.setUint8(5, 0);
  view.setUint16(6, hello.capabilities, true);
  view.setUint32(8, hello.maxFrameLength, true);
  view.setUint32(12, hello.maxMessageLength, true);
  return out;
}

export function decodeHello(body: Uint8Array): Hello {
  if (body.length !== 16 && body.length !== 48) {
    throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, `HELLO_ACK of ${body.length} bytes`);
  }
  for (let i = 0; i < 4; i++) {
    if (body[i] !== MAGIC[i]) {
      throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, 'HELLO_ACK without the HBTP magic');
    }
  }
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  return {
    version: view.getUint8(4),
    capabilities: view.getUint16(6, true),
    maxFrameLength: view.getUint32(8, true),
    maxMessageLength: view.getUint32(12, true),
    publicKey: body.length === 48 ? body.slice(16, 48) : undefined,
  };
}

/** Metadata entries: ASCII keys, values as text (UTF-8 on the wire) or bytes. */
export type MetadataInit = Record<string, string | Uint8Array>;

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', {fatal: true});

export function encodeMetadata(entries: MetadataInit): Uint8Array {
  const encoded: Array<[Uint8Array, Uint8Array]> = [];
  let size = 2;
  for (const [key, value] of Object.entries(entries)) {
    if (key.length === 0 || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
      throw new RangeError(`metadata key "${key}" must be 1 to 255 printable ASCII characters`);
    }
    const bytes = typeof value === 'string' ? utf8.encode(value) : value;
    if (bytes.length > 0xffff) {
      throw new RangeError(`metadata value of "${key}" is longer than 65535 bytes`);
    }
    encoded.push([utf8.encode(key), bytes]);
    size += 1 + key.length + 2 + bytes.length;
  }
  if (encoded.length > 0xffff || size > MAX_METADATA_SIZE) {
    throw new RangeError(`metadata block of ${size} bytes; at most ${MAX_METADATA_SIZE}`);
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint16(0, encoded.length, true);
  let at = 2;
  for (const [key, value] of encoded) {
    view.setUint8(at, key.length);
    out.set(key, at + 1);
    at += 1 + key.length;
    view.setUint16(at, value.length, true);
    out.set(value, at + 2);
    at += 2 + value.length;
  }
  return out;
}

/** Metadata read from a message: values as bytes, {@link text} for UTF-8. */
export class Metadata {
  constructor(private readonly entries: ReadonlyMap<string, Uint8Array>) {
  }

  static readonly EMPTY = new Metadata(new Map());

  get(key: string): Uint8Array | undefined {
    return this.entries.get(key);
  }

  text(key: string): string | undefined {
    const value = this.entries.get(key);
    return value === undefined ? undefined : new TextDecoder().decode(value);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The metadata block at the start of {@code body}, and where the rest of the body starts. */
export function decodeMetadata(body: Uint8Array): { metadata: Metadata; rest: Uint8Array } {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const fail = (why: string) => new ProtocolViolation(CloseCode.PROTOCOL_ERROR, `bad metadata block: ${why}`);
  if (body.length < 2) {
    throw fail('no entry count');
  }
  const count = view.getUint16(0, true);
  const entries = new Map<string, Uint8Array>();
  let at = 2;
  for (let i = 0; i < count; i++) {
    if (at + 1 > body.length) {
      throw fail('ends inside an entry');
    }
    const keyLength = view.getUint8(at);
    if (at + 1 + keyLength + 2 > body.length) {
      throw fail('ends inside an entry');
    }
    let key: string;
    try {
      key = utf8Strict.decode(body.subarray(at + 1, at + 1 + keyLength));
    } catch {
      throw fail('a key is not text');
    }
    at += 1 + keyLength;
    const valueLength = view.getUint16(at, true);
    if (at + 2 + valueLength > body.length) {
      throw fail('ends inside a value');
    }
    entries.set(key, body.subarray(at + 2, at + 2 + valueLength));
    at += 2 + valueLength;
    if (at > MAX_METADATA_SIZE) {
      throw fail(`longer than ${MAX_METADATA_SIZE} bytes`);
    }
  }
  return {metadata: new Metadata(entries), rest: body.subarray(at)};
}

/** {@code u16} id (route, event, topic) then bytes. */
export function withU16(id: number, rest: Uint8Array, prefix?: Uint8Array): Uint8Array {
  const head = prefix?.length ?? 0;
  const out = new Uint8Array(head + 2 + rest.length);
  if (prefix) {
    out.set(prefix, 0);
  }
  new DataView(out.buffer).setUint16(head, id, true);
  out.set(rest, head + 2);
  return out;
}

export function u16At(body: Uint8Array, at: number): number {
  return new DataView(body.buffer, body.byteOffset, body.byteLength).getUint16(at, true);
}

export function u64At(body: Uint8Array, at: number): bigint {
  return new DataView(body.buffer, body.byteOffset, body.byteLength).getBigUint64(at, true);
}

/** SUBSCRIBE: {@code u16 topic, u64 knownVersion}. */
export function subscribeBody(topic: number, knownVersion: bigint): Uint8Array {
  const out = new Uint8Array(10);
  const view = new DataView(out.buffer);
  view.setUint16(0, topic, true);
  view.setBigUint64(2, knownVersion, true);
  return out;
}

/** CLOSE: {@code u16 code}, UTF-8 reason. */
export function closeBody(code: number, reason: string): Uint8Array {
  return withU16(code, utf8.encode(reason));
}
