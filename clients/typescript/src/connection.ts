import {Compression} from './compression.js';
import {FrameCipher, KeyExchange} from './crypto.js';
import {HbtpError} from './errors.js';
import {
  Capability, closeBody, CloseCode, decodeFrames, decodeHello, encodeFrame, encodeHello, encodeMessage, Flag, Frame,
  Hello, Opcode, PACK_LIMIT, ProtocolViolation, u16At, VERSION,
} from './wire.js';

const TAG_SIZE = 16;

/** The part of the WebSocket API the client uses: the browser's, Node's (22+, or 20 with a flag) or a test's. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

/** The settings one connection needs; {@link HbtpClientOptions} holds them with their defaults. */
export interface ConnectionSettings {
  maxFrameLength: number;
  maxMessageLength: number;
  maxFragments: number;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  pongTimeoutMs: number;
  capabilities: number;
  webSocket: WebSocketFactory;
  /** 'off': plaintext; 'optional': encrypted when the server agrees; 'required': fail the connect otherwise. */
  encryption: 'off' | 'optional' | 'required';
  preSharedKey?: Uint8Array;
  /** Offer ZSTD: calls and events of at least this many bytes go compressed when it pays; 0: not offered. */
  compressionThreshold: number;
}

/** What a connection hands to its client. */
export interface ConnectionEvents {
  /** A whole message (fragments joined), of any opcode but the ones the connection answers itself. */
  message(frame: Frame): void;

  /** The connection ended other than by {@link Connection.close}; called once. */
  lost(error: HbtpError): void;
}

const OPEN = 1;

/**
 * One WebSocket carrying HBTP: HELLO and HELLO_ACK, frames in whole binary messages, reassembly of fragmented
 * messages (bounded by the limits this end advertised), PING and PONG both ways, and the CLOSE handshake.
 */
export class Connection {
  private ws: WebSocketLike;
  private hello?: Hello;
  private ended = false;
  private closeSent = false;
  private closeDone?: () => void;
  private lastRead = Date.now();
  private pingDeadline = 0;
  private nextPing = 0;
  private keepalive?: ReturnType<typeof setInterval>;
  private fragments: Uint8Array[] = [];
  private fragmentBytes = 0;
  private fragmentHead?: Frame;
  /** HBTP encryption: this side's key pair until HELLO_ACK, then the two directions' ciphers. */
  private exchange?: KeyExchange;
  private helloBody?: Uint8Array;
  /** The capabilities the HELLO offered: the settings', and ENCRYPTION and ZSTD when asked for. */
  private offered = 0;
  /** zstd, once loaded; in use only when the server agreed to ZSTD. */
  private compression?: Compression;
  private sealer?: FrameCipher;
  private opener?: FrameCipher;
  /** Frames that arrived while the keys were being derived, in order. */
  private awaitingKeys?: Frame[];
  /** Encryption agreed: the handshake completes once a sealed frame from the server has opened. */
  private unconfirmed = false;

  private constructor(private readonly settings: ConnectionSettings, private readonly events: ConnectionEvents,
                      ws: WebSocketLike) {
    this.ws = ws;
  }

  /** Opens the WebSocket and completes the handshake within the connect timeout. */
  static open(url: string, settings: ConnectionSettings, events: ConnectionEvents): Promise<Connection> {
    return new Promise((resolve, reject) => {
      let ws: WebSocketLike;
      try {
        ws = settings.webSocket(url);
      } catch (e) {
        reject(new HbtpError('NETWORK', `cannot open ${url}: ${(e as Error).message}`));
        return;
      }
      const connection = new Connection(settings, events, ws);
      let settled = false;
      const timer = setTimeout(() => fail(new HbtpError('TIMEOUT',
        `no handshake with ${url} within ${settings.connectTimeoutMs} ms`)), settings.connectTimeoutMs);
      const fail = (error: HbtpError) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          connection.end();
          reject(error);
        }
      };
      connection.onHandshake = () => {
        settled = true;
        clearTimeout(timer);
        resolve(connection);
      };
      connection.onHandshakeFailed = fail;
      ws.binaryType = 'arraybuffer';
      ws.onopen = async () => {
        let capabilities = settings.capabilities;
        if (settings.encryption !== 'off') {
          try {
            connection.exchange = await KeyExchange.start();
            capabilities |= Capability.ENCRYPTION;
          } catch (e) {
            fail(new HbtpError('SECURITY', `encryption was asked for but is not available: ${(e as Error).message}`));
            return;
          }
        }
        if (settings.compressionThreshold > 0) {
          try {
            connection.compression = await Compression.load(settings.compressionThreshold);
            capabilities |= Capability.ZSTD;
          } catch (e) {
            fail(new HbtpError('PROTOCOL', `compression was asked for but is not available: ${(e as Error).message}`));
            return;
          }
        }
        connection.offered = capabilities;
        connection.helloBody = encodeHello({
          version: VERSION, capabilities,
          maxFrameLength: settings.maxFrameLength, maxMessageLength: settings.maxMessageLength,
          publicKey: connection.exchange?.publicKey,
        });
        ws.send(encodeFrame(Opcode.HELLO, Flag.FINAL, 0, connection.helloBody));
      };
      ws.onmessage = (event) => connection.onMessage(event.data);
      ws.onerror = () => {
        // onclose follows with what can be known
      };
      ws.onclose = () => {
        if (!settled) {
          fail(new HbtpError('NETWORK', `cannot connect to ${url}`));
        } else {
          connection.onClosed();
        }
      };
    });
  }

  private onHandshake?: () => void;
  private onHandshakeFailed?: (error: HbtpError) => void;

  /** The server's HELLO_ACK: the agreed capabilities and its limits. */
  get serverHello(): Hello {
    return this.hello!;
  }

  get isOpen(): boolean {
    return !this.ended && !this.closeSent && this.ws.readyState === OPEN;
  }

  /**
   * Sends one message, split into frames of the server's maximum, frames of up to 64 KiB together in one
   * WebSocket message.
   */
  send(opcode: number, flags: number, sequence: number, body: Uint8Array): void {
    if (this.compression && (this.hello!.capabilities & Capability.ZSTD) !== 0
        && (opcode === Opcode.RPC_CALL || opcode === Opcode.CLIENT_EVENT)) {
      const compressed = this.compression.compress(body);
      if (compressed) {
        body = compressed;
        flags |= Flag.COMPRESSED;
      }
    }
    const frames = encodeMessage(opcode, flags, sequence, body,
      this.hello!.maxFrameLength - (this.sealer ? TAG_SIZE : 0));
    if (frames.length === 1) {
      this.transmit(frames[0]);
      return;
    }
    let batch: Uint8Array[] = [];
    let size = 0;
    const flush = () => {
      if (batch.length > 0) {
        const out = new Uint8Array(size);
        let at = 0;
        for (const f of batch) {
          out.set(f, at);
          at += f.length;
        }
        this.transmit(out);
        batch = [];
        size = 0;
      }
    };
    for (const frame of frames) {
      if (size + frame.length > PACK_LIMIT) {
        flush();
      }
      batch.push(frame);
      size += frame.length;
    }
    flush();
  }

  /** The CLOSE handshake: CLOSE, then the server's CLOSE (or the pong timeout), then the WebSocket closes. */
  close(code: number = CloseCode.NORMAL, reason = ''): Promise<void> {
    if (this.ended || this.closeSent) {
      this.end();
      return Promise.resolve();
    }
    this.closeSent = true;
    return new Promise((resolve) => {
      this.closeDone = resolve;
      try {
        this.transmit(encodeFrame(Opcode.CLOSE, Flag.FINAL, 0, closeBody(code, reason)));
      } catch {
        this.end();
        return;
      }
      const timer = setTimeout(() => this.end(), this.settings.pongTimeoutMs);
      const done = this.closeDone;
      this.closeDone = () => {
        clearTimeout(timer);
        done();
      };
    });
  }

  /** Sends whole frames, sealed once encryption is in force. */
  private transmit(frames: Uint8Array): void {
    this.ws.send(this.sealer ? this.sealer.sealFrames(frames) : frames);
  }

  private onMessage(data: unknown): void {
    if (this.ended) {
      return;
    }
    this.lastRead = Date.now();
    try {
      if (!(data instanceof ArrayBuffer)) {
        throw new ProtocolViolation(CloseCode.UNSUPPORTED, 'text WebSocket message: HBTP travels in binary messages');
      }
      for (const frame of decodeFrames(new Uint8Array(data), this.settings.maxFrameLength)) {
        if (this.awaitingKeys) {
          // What follows HELLO_ACK is sealed with keys still being derived: it waits, in order.
          this.awaitingKeys.push(frame);
          continue;
        }
        this.onFrame(this.opened(frame));
        if (this.ended) {
          return;
        }
      }
    } catch (e) {
      if (e instanceof ProtocolViolation) {
        this.fail(e.code, e.message);
      } else {
        throw e;
      }
    }
  }

  /** {@code frame} with its payload opened when encryption is in force; any other frame then is refused (1008). */
  private opened(frame: Frame): Frame {
    const sealed = (frame.flags & Flag.ENCRYPTED) !== 0;
    if (!this.opener) {
      if (sealed) {
        throw new ProtocolViolation(CloseCode.POLICY, 'ENCRYPTED frame, but encryption was not agreed');
      }
      return frame;
    }
    if (!sealed) {
      throw new ProtocolViolation(CloseCode.POLICY, 'plaintext frame after encryption was agreed');
    }
    const payload = this.opener.open(frame.opcode, frame.flags, frame.sequence, frame.payload);
    if (this.unconfirmed) {
      // The server's first sealed frame opened: both ends hold the same keys.
      this.unconfirmed = false;
      this.startKeepalive();
      this.onHandshake?.();
    }
    return {opcode: frame.opcode, flags: frame.flags & ~Flag.ENCRYPTED, sequence: frame.sequence, payload};
  }

  private onFrame(frame: Frame): void {
    if (!this.hello) {
      this.onHelloAck(frame);
      return;
    }
    if ((frame.flags & Flag.COMPRESSED) !== 0 && (this.hello.capabilities & Capability.ZSTD) === 0) {
      throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, 'compressed frame, but ZSTD was not agreed');
    }
    if (this.fragmentHead) {
      const head = this.fragmentHead;
      if (frame.opcode !== head.opcode || frame.sequence !== head.sequence
        || (frame.flags & ~Flag.FINAL) !== (head.flags & ~Flag.FINAL)) {
        throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, 'a frame interrupts a fragmented message');
      }
      this.addFragment(frame.payload);
      if ((frame.flags & Flag.FINAL) === 0) {
        return;
      }
      const whole = new Uint8Array(this.fragmentBytes);
      let at = 0;
      for (const part of this.fragments) {
        whole.set(part, at);
        at += part.length;
      }
      this.fragments = [];
      this.fragmentBytes = 0;
      this.fragmentHead = undefined;
      frame = {opcode: head.opcode, flags: head.flags | Flag.FINAL, sequence: head.sequence, payload: whole};
    } else if ((frame.flags & Flag.FINAL) === 0) {
      this.fragmentHead = frame;
      this.addFragment(frame.payload);
      return;
    }
    if ((frame.flags & Flag.COMPRESSED) !== 0) {
      // The whole message, fragments joined, is one zstd frame.
      frame = {opcode: frame.opcode, flags: frame.flags & ~Flag.COMPRESSED, sequence: frame.sequence,
        payload: this.compression!.decompress(frame.payload, this.settings.maxMessageLength)};
    }
    switch (frame.opcode) {
      case Opcode.PING:
        if (frame.payload.length > 64) {
          throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, 'PING payload over 64 bytes');
        }
        if (!this.closeSent) {
          this.transmit(encodeFrame(Opcode.PONG, Flag.FINAL, frame.sequence, frame.payload));
        }
        return;
      case Opcode.PONG:
        this.pingDeadline = 0;
        return;
      case Opcode.CLOSE:
        this.onPeerClose(frame.payload);
        return;
      case Opcode.HELLO_ACK:
        throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, 'second HELLO_ACK');
      case Opcode.RPC_RESPONSE:
      case Opcode.RPC_ERROR:
      case Opcode.STATE_SYNC:
      case Opcode.STATE_DELTA:
      case Opcode.SERVER_EVENT:
        this.events.message(frame);
        return;
      default:
        throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, `opcode 0x${frame.opcode.toString(16)} is not sent by servers`);
    }
  }

  private addFragment(payload: Uint8Array): void {
    this.fragmentBytes += payload.length;
    if (this.fragmentBytes > this.settings.maxMessageLength) {
      throw new ProtocolViolation(CloseCode.TOO_LARGE,
        `message exceeds the maximum length of ${this.settings.maxMessageLength} bytes`);
    }
    if (this.fragments.length >= this.settings.maxFragments) {
      throw new ProtocolViolation(CloseCode.TOO_LARGE, `message arrives in more than ${this.settings.maxFragments} fragments`);
    }
    this.fragments.push(payload);
  }

  private onHelloAck(frame: Frame): void {
    if (frame.opcode === Opcode.CLOSE) {
      const code = frame.payload.length >= 2 ? u16At(frame.payload, 0) : CloseCode.PROTOCOL_ERROR;
      const reason = new TextDecoder().decode(frame.payload.subarray(2));
      this.onHandshakeFailed?.(HbtpError.ofCloseCode(code, `the server refused the handshake: ${code} ${reason}`));
      return;
    }
    if (frame.opcode !== Opcode.HELLO_ACK || frame.flags !== Flag.FINAL) {
      throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, `opcode 0x${frame.opcode.toString(16)} before HELLO_ACK`);
    }
    const ack = decodeHello(frame.payload);
    if (ack.version !== VERSION) {
      throw new ProtocolViolation(CloseCode.UNSUPPORTED, `HBTP version ${ack.version}`);
    }
    if ((ack.capabilities & ~this.offered) !== 0) {
      throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, 'HELLO_ACK grants capabilities not offered');
    }
    if (ack.maxFrameLength < 64 || ack.maxMessageLength < ack.maxFrameLength) {
      throw new ProtocolViolation(CloseCode.PROTOCOL_ERROR, 'HELLO_ACK limits out of range');
    }
    if ((ack.capabilities & Capability.ENCRYPTION) !== 0) {
      if (!this.exchange || !this.helloBody || !ack.publicKey) {
        throw new ProtocolViolation(CloseCode.POLICY, 'HELLO_ACK agrees on encryption without a public key');
      }
      this.hello = ack;
      this.startEncryption(this.exchange, this.helloBody, frame.payload.slice(), ack.publicKey);
      return;
    }
    if (this.settings.encryption === 'required') {
      throw new ProtocolViolation(CloseCode.POLICY, 'this client requires encryption and the server did not agree');
    }
    this.hello = ack;
    this.startKeepalive();
    this.onHandshake?.();
  }

  /**
   * Derives the keys (WebCrypto is asynchronous) while what arrives meanwhile waits; the handshake completes when
   * the server's first sealed frame (its key-confirming PING) opens, so different keys fail the connect itself.
   */
  private startEncryption(exchange: KeyExchange, hello: Uint8Array, ack: Uint8Array, serverKey: Uint8Array): void {
    this.awaitingKeys = [];
    this.exchange = undefined;
    exchange.finish(hello, ack, serverKey, this.settings.preSharedKey).then((keys) => {
      this.sealer = keys.seal;
      this.opener = keys.open;
      this.unconfirmed = true;
      const waiting = this.awaitingKeys ?? [];
      this.awaitingKeys = undefined;
      try {
        for (const frame of waiting) {
          if (this.ended) {
            return;
          }
          this.onFrame(this.opened(frame));
        }
      } catch (e) {
        if (!(e instanceof ProtocolViolation)) {
          throw e;
        }
        this.fail(e.code, e.message);
      }
    }, (e) => this.fail(CloseCode.POLICY, `key derivation failed: ${(e as Error).message}`));
  }

  private startKeepalive(): void {
    const {idleTimeoutMs, pongTimeoutMs} = this.settings;
    if (idleTimeoutMs <= 0) {
      return;
    }
    const period = Math.max(10, Math.min(idleTimeoutMs, pongTimeoutMs) / 4);
    this.keepalive = setInterval(() => {
      const now = Date.now();
      if (this.pingDeadline > 0) {
        if (now > this.pingDeadline) {
          this.fail(CloseCode.GOING_AWAY, `keepalive timeout: no PONG within ${pongTimeoutMs} ms`);
        }
      } else if (now - this.lastRead >= idleTimeoutMs && this.isOpen) {
        this.pingDeadline = now + pongTimeoutMs;
        this.transmit(encodeFrame(Opcode.PING, Flag.FINAL, this.nextPing, new Uint8Array(0)));
        this.nextPing = (this.nextPing + 1) & 0xffff;
      }
    }, period);
  }

  private onPeerClose(body: Uint8Array): void {
    const code = body.length >= 2 ? u16At(body, 0) : CloseCode.NORMAL;
    const reason = new TextDecoder().decode(body.subarray(Math.min(2, body.length)));
    if (this.closeSent) {
      this.end();
      return;
    }
    try {
      this.transmit(encodeFrame(Opcode.CLOSE, Flag.FINAL, 0, closeBody(CloseCode.NORMAL, '')));
    } catch {
      // the socket is going anyway
    }
    const error = code === CloseCode.NORMAL
      ? new HbtpError('UNAVAILABLE', `the server closed the connection${reason ? ': ' + reason : ''}`, code)
      : HbtpError.ofCloseCode(code, `the server closed the connection with ${code}${reason ? ': ' + reason : ''}`);
    this.lose(error);
  }

  /** A violation by the server: CLOSE with its code, then the WebSocket closes. */
  private fail(code: number, reason: string): void {
    if (this.ended) {
      return;
    }
    if (!this.closeSent && this.ws.readyState === OPEN) {
      this.closeSent = true;
      try {
        this.transmit(encodeFrame(Opcode.CLOSE, Flag.FINAL, 0, closeBody(code, reason)));
      } catch {
        // the socket is going anyway
      }
    }
    const error = HbtpError.ofCloseCode(code, reason);
    if (!this.hello || this.unconfirmed || this.awaitingKeys) {
      // Still connecting (with encryption, until the server's first sealed frame opened): connect fails.
      this.onHandshakeFailed?.(error);
      return;
    }
    this.lose(error);
  }

  private onClosed(): void {
    if (this.closeSent && this.closeDone) {
      this.end();
      return;
    }
    this.lose(new HbtpError('NETWORK', 'connection lost'));
  }

  private lose(error: HbtpError): void {
    if (this.ended) {
      return;
    }
    const wasClosing = this.closeDone !== undefined;
    this.end();
    if (!wasClosing) {
      this.events.lost(error);
    }
  }

  /** Stops everything and closes the WebSocket; browsers let a client close only with 1000 or 3000-4999. */
  private end(): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    if (this.keepalive !== undefined) {
      clearInterval(this.keepalive);
    }
    this.fragments = [];
    try {
      this.ws.close(1000);
    } catch {
      // already closed
    }
    const done = this.closeDone;
    this.closeDone = undefined;
    done?.();
  }
}

export const DEFAULT_CAPABILITIES = Capability.METADATA | Capability.STATE;
