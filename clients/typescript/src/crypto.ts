// HBTP/1 encryption (hbtp-v1.md, Encryption): X25519 and HKDF-SHA256 from WebCrypto, ChaCha20-Poly1305 from
// @noble/ciphers (an optional peer dependency, loaded only when encryption is asked for: WebCrypto has no
// ChaCha20-Poly1305). Keys are bound to the transcript: SHA-256 of the HELLO and HELLO_ACK bodies as sent.
import {CloseCode, Flag, HEADER_SIZE, ProtocolViolation} from './wire.js';

const TAG_SIZE = 16;
const KEY_SIZE = 32;
const MAX_COUNTER = 0xffffffffffffffffn;

type Aead = (key: Uint8Array, nonce: Uint8Array, aad?: Uint8Array) => {
  encrypt(plaintext: Uint8Array): Uint8Array;
  decrypt(ciphertext: Uint8Array): Uint8Array;
};

async function chacha(): Promise<Aead> {
  try {
    const module: {chacha20poly1305: Aead} = await import('@noble/ciphers/chacha.js' as string);
    return module.chacha20poly1305;
  } catch (e) {
    throw new Error('HBTP encryption needs the @noble/ciphers package (npm install @noble/ciphers): '
      + (e as Error).message);
  }
}

/** This side's X25519 key pair for one connection; {@link finish} turns the two HELLOs into frame ciphers. */
export class KeyExchange {
  private constructor(private readonly keys: CryptoKeyPair, readonly publicKey: Uint8Array,
                      private readonly aead: Aead) {
  }

  static async start(): Promise<KeyExchange> {
    const aead = await chacha();
    const keys = await crypto.subtle.generateKey({name: 'X25519'}, false, ['deriveBits']) as CryptoKeyPair;
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey));
    return new KeyExchange(keys, raw, aead);
  }

  /** The client's sealer (c2s) and opener (s2c), from both HELLO bodies as sent and an optional pre-shared key. */
  async finish(hello: Uint8Array, helloAck: Uint8Array, serverPublicKey: Uint8Array,
               preSharedKey?: Uint8Array): Promise<{seal: FrameCipher; open: FrameCipher}> {
    const peer = await crypto.subtle.importKey('raw', serverPublicKey as BufferSource, {name: 'X25519'}, false, []);
    const shared = new Uint8Array(await crypto.subtle.deriveBits({name: 'X25519', public: peer},
      this.keys.privateKey, 256));
    const transcript = new Uint8Array(hello.length + helloAck.length);
    transcript.set(hello, 0);
    transcript.set(helloAck, hello.length);
    const th = new Uint8Array(await crypto.subtle.digest('SHA-256', transcript));
    const salt = new Uint8Array(th.length + (preSharedKey?.length ?? 0));
    salt.set(th, 0);
    if (preSharedKey) {
      salt.set(preSharedKey, th.length);
    }
    const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveBits']);
    const expand = async (label: string) => new Uint8Array(await crypto.subtle.deriveBits(
      {name: 'HKDF', hash: 'SHA-256', salt, info: new TextEncoder().encode(label)}, ikm, KEY_SIZE * 8));
    return {
      seal: new FrameCipher(await expand('hbtp/1 c2s'), this.aead),
      open: new FrameCipher(await expand('hbtp/1 s2c'), this.aead),
    };
  }
}

/**
 * ChaCha20-Poly1305 for one direction: the nonce is 4 zero bytes and the little-endian count of frames so far;
 * the associated data is the 8-byte header as sent (ENCRYPTED set, the length including the tag).
 */
export class FrameCipher {
  private counter = 0n;

  constructor(private readonly key: Uint8Array, private readonly aead: Aead) {
  }

  /** The frames of {@code message} (whole plaintext frames back to back), each sealed, in one buffer. */
  sealFrames(message: Uint8Array): Uint8Array {
    const parts: Uint8Array[] = [];
    let total = 0;
    const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
    for (let at = 0; at < message.length;) {
      const length = view.getUint32(at + 4, true);
      const header = message.slice(at, at + HEADER_SIZE);
      const headerView = new DataView(header.buffer);
      headerView.setUint8(1, header[1] | Flag.ENCRYPTED);
      headerView.setUint32(4, length + TAG_SIZE, true);
      const sealed = this.aead(this.key, this.nonce(), header)
        .encrypt(message.subarray(at + HEADER_SIZE, at + HEADER_SIZE + length));
      parts.push(header, sealed);
      total += header.length + sealed.length;
      at += HEADER_SIZE + length;
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  /** The plaintext of one sealed frame; a frame that does not authenticate closes the connection (1008). */
  open(opcode: number, flags: number, sequence: number, sealed: Uint8Array): Uint8Array {
    if (sealed.length < TAG_SIZE) {
      throw new ProtocolViolation(CloseCode.POLICY, 'decryption failed');
    }
    const header = new Uint8Array(HEADER_SIZE);
    const view = new DataView(header.buffer);
    view.setUint8(0, opcode);
    view.setUint8(1, flags);
    view.setUint16(2, sequence, true);
    view.setUint32(4, sealed.length, true);
    try {
      return this.aead(this.key, this.nonce(), header).decrypt(sealed);
    } catch {
      throw new ProtocolViolation(CloseCode.POLICY, 'decryption failed');
    }
  }

  private nonce(): Uint8Array {
    if (this.counter === MAX_COUNTER) {
      throw new ProtocolViolation(CloseCode.POLICY, 'no nonces left in this direction');
    }
    const nonce = new Uint8Array(12);
    new DataView(nonce.buffer).setBigUint64(4, this.counter, true);
    this.counter++;
    return nonce;
  }
}
