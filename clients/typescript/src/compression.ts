// HBTP/1 compression (hbtp-v1.md, flag COMPRESSED): one zstd frame per message, with its content size, which is
// checked against the message limit before anything is decompressed. zstd comes from @bokuweb/zstd-wasm (a WASM
// build of the reference library), an optional peer dependency loaded only when compression is asked for.
import {CloseCode, ProtocolViolation} from './wire.js';

interface Zstd {
  init(path?: string): Promise<void>;
  compress(data: Uint8Array, level?: number): Uint8Array;
  decompress(data: Uint8Array): Uint8Array;
}

const MAGIC = 0xfd2fb528;
const LEVEL = 3;

/** zstd for one connection: compresses what pays, decompresses what the server sent within the limit. */
export class Compression {
  private constructor(private readonly zstd: Zstd, readonly threshold: number) {
  }

  static async load(threshold: number): Promise<Compression> {
    let zstd: Zstd;
    try {
      zstd = await import('@bokuweb/zstd-wasm' as string) as Zstd;
      await zstd.init();
    } catch (e) {
      throw new Error('HBTP compression needs the @bokuweb/zstd-wasm package (npm install @bokuweb/zstd-wasm): '
        + (e as Error).message);
    }
    return new Compression(zstd, threshold);
  }

  /** {@code body} compressed, or {@code undefined} when it is under the threshold or would not get smaller. */
  compress(body: Uint8Array): Uint8Array | undefined {
    if (body.length < this.threshold) {
      return undefined;
    }
    const compressed = this.zstd.compress(body, LEVEL);
    return compressed.length < body.length ? compressed : undefined;
  }

  /**
   * The message inside {@code frame}: one zstd frame whose header states its content size, at most
   * {@code maxMessageLength}; anything else closes the connection (1002 for a malformed frame, 1009 for a size over
   * the limit) before a byte is decompressed.
   */
  decompress(frame: Uint8Array, maxMessageLength: number): Uint8Array {
    const size = contentSize(frame);
    if (size > maxMessageLength) {
      throw new ProtocolViolation(CloseCode.TOO_LARGE,
        `compressed message of ${size} bytes exceeds the maximum of ${maxMessageLength}`);
    }
    let plain: Uint8Array;
    try {
      plain = this.zstd.decompress(frame);
    } catch (e) {
      throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, `zstd frame does not decompress: ${(e as Error).message}`);
    }
    if (plain.length !== size) {
      throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, 'zstd frame is not the size its header states');
    }
    return plain;
  }
}

/** The Frame_Content_Size of the zstd frame at the start of {@code frame} (RFC 8878, 3.1.1.1). */
export function contentSize(frame: Uint8Array): number {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (frame.length < 6 || view.getUint32(0, true) !== MAGIC) {
    throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, 'COMPRESSED payload is not a zstd frame');
  }
  const descriptor = frame[4];
  const fcsFlag = descriptor >> 6;
  const singleSegment = (descriptor & 0x20) !== 0;
  const dictionaryIdBytes = [0, 1, 2, 4][descriptor & 0x03];
  const fcsBytes = [singleSegment ? 1 : 0, 2, 4, 8][fcsFlag];
  if (fcsBytes === 0) {
    throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, 'zstd frame without its content size');
  }
  const at = 5 + (singleSegment ? 0 : 1) + dictionaryIdBytes;
  if (frame.length < at + fcsBytes) {
    throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, 'zstd frame header cut short');
  }
  switch (fcsBytes) {
    case 1:
      return frame[at];
    case 2:
      return view.getUint16(at, true) + 256;
    case 4:
      return view.getUint32(at, true);
    default: {
      const size = view.getBigUint64(at, true);
      return size > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(size);
    }
  }
}
