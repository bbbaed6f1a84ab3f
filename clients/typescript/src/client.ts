import {Connection, ConnectionSettings, DEFAULT_CAPABILITIES, WebSocketFactory, WebSocketLike} from './connection.js';
import {HbtpError, HbtpRpcError} from './errors.js';
import {
  Capability, decodeMetadata, encodeMetadata, Flag, Frame, Metadata, MetadataInit, Opcode, subscribeBody, u16At,
  u64At, withU16,
} from './wire.js';

/** Backoff between attempts to connect again after a connection was lost. */
export interface ReconnectOptions {
  /** Wait before the first attempt; doubled after each failure. Default 100 ms. */
  initialDelayMs?: number;
  /** The longest wait between attempts. Default 10 s. */
  maxDelayMs?: number;
}

export interface HbtpClientOptions {
  /** Largest frame payload this client takes (HELLO advertises it). Default 1 MiB. */
  maxFrameLength?: number;
  /** Largest message this client takes, fragments joined. Default 16 MiB. */
  maxMessageLength?: number;
  /** Calls waiting for their answer at once; one more fails at once. Default 1024. */
  maxInFlight?: number;
  /** A call's local timeout unless the call gives its own. Default 30 s. */
  callTimeoutMs?: number;
  /** WebSocket open plus HELLO_ACK. Default 10 s. */
  connectTimeoutMs?: number;
  /** PING after this long without anything read; 0 turns keepalive off. Default 30 s. */
  idleTimeoutMs?: number;
  /** No PONG within this closes the connection (1001). Default 10 s. */
  pongTimeoutMs?: number;
  /** Connect again after a loss, with exponential backoff; default: a lost connection stays lost. */
  reconnect?: ReconnectOptions | false;
  /** Called after a lost connection was made again (subscriptions are already asked for again). */
  onReconnect?: () => void;
  /** Called when the connection is lost, with the reason. */
  onDisconnect?: (error: HbtpError) => void;
  /** Makes the WebSocket; default {@code new WebSocket(url)} of the global scope. */
  webSocket?: WebSocketFactory;
  /**
   * HBTP encryption (X25519, HKDF-SHA256 and ChaCha20-Poly1305, keys bound to both HELLOs): 'optional' when the
   * server agrees, 'required' fails the connect otherwise; default 'off'. Needs WebCrypto's X25519 (current
   * browsers, Node 20) and the @noble/ciphers package, loaded only then.
   */
  encryption?: 'off' | 'optional' | 'required';
  /** A key both ends were given: with it, a peer without the key (or a man in the middle) fails the connect. */
  preSharedKey?: Uint8Array;
  /**
   * Offer zstd (the ZSTD capability): messages from the server may then come compressed, and calls and events of
   * at least {@link compressionThreshold} bytes go compressed when that makes them smaller. Needs the
   * @bokuweb/zstd-wasm package, loaded only then. Default false.
   */
  compression?: boolean;
  /** Default 512 bytes, as the Java client. */
  compressionThreshold?: number;
}

export interface CallOptions {
  /** Aborting rejects the call with the signal's reason and sends CANCEL. */
  signal?: AbortSignal;
  /** The server answers DEADLINE_EXCEEDED if its handler has not answered within this (metadata {@code deadline-ms}). */
  deadlineMs?: number;
  /** Local timeout: the call fails with category TIMEOUT and CANCEL is sent. Default {@code callTimeoutMs}. */
  timeoutMs?: number;
  /** Request metadata ({@code auth}, {@code trace-id}, ...). */
  metadata?: MetadataInit;
}

/** An answer: its body and the response metadata. */
export class HbtpResponse {
  constructor(readonly body: Uint8Array, readonly metadata: Metadata) {
  }

  /** The body as UTF-8 text. */
  text(): string {
    return new TextDecoder().decode(this.body);
  }
}

/** Receives a topic's state and then its deltas, in version order. */
export interface TopicListener {
  onSync(version: bigint, state: Uint8Array): void;

  onDelta(baseVersion: bigint, version: bigint, delta: Uint8Array): void;
}

/** A subscription to one topic; {@link unsubscribe} ends it. */
export class Subscription {
  /** @internal */
  version = 0n;
  /** @internal */
  resyncing = false;

  /** @internal */
  constructor(readonly topic: number, readonly listener: TopicListener, private readonly client: HbtpClient) {
  }

  /** The version the listener holds (0 before the first state). */
  get knownVersion(): bigint {
    return this.version;
  }

  unsubscribe(): void {
    this.client.unsubscribe(this);
  }
}

interface PendingCall {
  resolve(response: HbtpResponse): void;

  reject(error: unknown): void;

  route: number;
  /** The call was given up (abort, timeout): its answer is still awaited, so its sequence stays taken. */
  abandoned: boolean;
  cleanup(): void;
}

const utf8 = new TextEncoder();
const MAX_SEQUENCES = 0x10000;

function bytesOf(body: Uint8Array | string | undefined): Uint8Array {
  return body === undefined ? new Uint8Array(0) : typeof body === 'string' ? utf8.encode(body) : body;
}

function checkId(what: string, id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > 0xffff) {
    throw new RangeError(`${what} ${id} is not a u16`);
  }
}

function defaultWebSocket(): WebSocketFactory {
  const ctor = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
  if (ctor === undefined) {
    throw new HbtpError('NETWORK', 'no global WebSocket (Node 20: run with --experimental-websocket; or pass options.webSocket)');
  }
  return (url) => new ctor(url);
}

/**
 * An HBTP/1 client over WebSocket.
 *
 * ```ts
 * const client = await HbtpClient.connect('wss://example.com/hbtp');
 * const answer = await client.call(1, 'hello');            // HbtpResponse: body, metadata, text()
 * client.subscribe(7, {onSync: (v, state) => ..., onDelta: (base, v, delta) => ...});
 * await client.close();
 * ```
 */
export class HbtpClient {
  private connection?: Connection;
  private readonly pending = new Map<number, PendingCall>();
  private nextSequence = 1;
  private readonly subscriptions = new Map<number, Subscription>();
  private readonly eventListeners = new Map<number, (body: Uint8Array) => void>();
  private closed = false;
  private reconnectTimer?: ReturnType<typeof setTimeout>;
  private readonly settings: ConnectionSettings;
  private readonly maxInFlight: number;
  private readonly callTimeoutMs: number;

  private constructor(private readonly url: string, private readonly options: HbtpClientOptions) {
    this.settings = {
      maxFrameLength: options.maxFrameLength ?? 1 << 20,
      maxMessageLength: options.maxMessageLength ?? 16 << 20,
      maxFragments: 1024,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
      pongTimeoutMs: options.pongTimeoutMs ?? 10_000,
      capabilities: DEFAULT_CAPABILITIES,
      webSocket: options.webSocket ?? defaultWebSocket(),
      encryption: options.encryption ?? 'off',
      preSharedKey: options.preSharedKey,
      compressionThreshold: options.compression ? options.compressionThreshold ?? 512 : 0,
    };
    this.maxInFlight = Math.min(options.maxInFlight ?? 1024, 0xffff);
    this.callTimeoutMs = options.callTimeoutMs ?? 30_000;
  }

  /** Connects and completes the handshake; the first connection is not retried. */
  static async connect(url: string, options: HbtpClientOptions = {}): Promise<HbtpClient> {
    const client = new HbtpClient(url, options);
    client.connection = await Connection.open(url, client.settings, client.events());
    return client;
  }

  /**
   * 'open'; 'reconnecting' (a lost connection is being made again); 'disconnected' (lost, without a reconnect
   * policy); or 'closed' (by {@link close}).
   */
  get state(): 'open' | 'reconnecting' | 'disconnected' | 'closed' {
    if (this.closed) {
      return 'closed';
    }
    return this.connection?.isOpen ? 'open' : this.options.reconnect ? 'reconnecting' : 'disconnected';
  }

  /** The capabilities the server agreed to. */
  get capabilities(): number {
    return this.connection?.serverHello.capabilities ?? 0;
  }

  private events() {
    return {
      message: (frame: Frame) => this.onMessage(frame),
      lost: (error: HbtpError) => this.onLost(error),
    };
  }

  /** Calls {@code route}; resolves with the answer, rejects with {@link HbtpRpcError} or {@link HbtpError}. */
  call(route: number, body?: Uint8Array | string, options: CallOptions = {}): Promise<HbtpResponse> {
    checkId('route', route);
    const signal = options.signal;
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    const connection = this.usableConnection();
    if (connection instanceof HbtpError) {
      return Promise.reject(connection);
    }
    if (this.pending.size >= this.maxInFlight) {
      return Promise.reject(new HbtpError('RESOURCE', 'too many calls in flight'));
    }
    let message: Uint8Array;
    let flags = Flag.FINAL | Flag.EXPECTS_RESPONSE;
    try {
      const metadata: MetadataInit = {...options.metadata};
      if (options.deadlineMs !== undefined) {
        if (!(options.deadlineMs > 0)) {
          throw new RangeError('deadlineMs must be positive');
        }
        metadata['deadline-ms'] = String(Math.ceil(options.deadlineMs));
      }
      const block = Object.keys(metadata).length > 0 ? encodeMetadata(metadata) : undefined;
      if (block) {
        flags |= Flag.METADATA;
      }
      message = withU16(route, bytesOf(body), block);
    } catch (e) {
      return Promise.reject(e);
    }
    try {
      HbtpClient.fitting(connection, message);
    } catch (e) {
      return Promise.reject(e);
    }
    const sequence = this.takeSequence();
    return new Promise<HbtpResponse>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.callTimeoutMs;
      const giveUp = (reason: unknown) => {
        const call = this.pending.get(sequence);
        if (call && !call.abandoned) {
          call.abandoned = true;
          call.cleanup();
          reject(reason);
          if (this.connection === connection && connection.isOpen) {
            connection.send(Opcode.CANCEL, Flag.FINAL, sequence, new Uint8Array(0));
          } else {
            this.pending.delete(sequence);
          }
        }
      };
      const timer = setTimeout(() => giveUp(new HbtpError('TIMEOUT', `no answer within ${timeoutMs} ms`)), timeoutMs);
      const onAbort = () => giveUp(signal!.reason);
      signal?.addEventListener('abort', onAbort, {once: true});
      this.pending.set(sequence, {
        resolve, reject, route, abandoned: false,
        cleanup: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      });
      connection.send(Opcode.RPC_CALL, flags, sequence, message);
    });
  }

  /** A call without an answer (fire-and-forget). */
  send(route: number, body?: Uint8Array | string): void {
    checkId('route', route);
    const connection = this.usableConnection();
    if (connection instanceof HbtpError) {
      throw connection;
    }
    connection.send(Opcode.RPC_CALL, Flag.FINAL, 0, HbtpClient.fitting(connection, withU16(route, bytesOf(body))));
  }

  /** CLIENT_EVENT {@code event} with {@code body}. */
  sendEvent(event: number, body?: Uint8Array | string): void {
    checkId('event', event);
    const connection = this.usableConnection();
    if (connection instanceof HbtpError) {
      throw connection;
    }
    connection.send(Opcode.CLIENT_EVENT, Flag.FINAL, 0, HbtpClient.fitting(connection, withU16(event, bytesOf(body))));
  }

  /** {@code message}, unless the server takes no message that large: then a RESOURCE error is thrown. */
  private static fitting(connection: Connection, message: Uint8Array): Uint8Array {
    if (message.length > connection.serverHello.maxMessageLength) {
      throw new HbtpError('RESOURCE',
        `message of ${message.length} bytes; the server takes at most ${connection.serverHello.maxMessageLength}`);
    }
    return message;
  }

  /** Receives SERVER_EVENT {@code event}; returns a function that stops it. One listener per event. */
  onEvent(event: number, listener: (body: Uint8Array) => void): () => void {
    checkId('event', event);
    this.eventListeners.set(event, listener);
    return () => {
      if (this.eventListeners.get(event) === listener) {
        this.eventListeners.delete(event);
      }
    };
  }

  /**
   * Subscribes to {@code topic}: the listener gets the state, then the deltas in order. On a version gap the
   * client asks again from the version it holds and ignores deltas until the answer; after a reconnect it
   * asks from that version too.
   */
  subscribe(topic: number, listener: TopicListener): Subscription {
    checkId('topic', topic);
    if (this.subscriptions.has(topic)) {
      throw new HbtpError('APPLICATION', `already subscribed to topic ${topic}`);
    }
    if (this.connection && (this.capabilities & Capability.STATE) === 0) {
      throw new HbtpError('PROTOCOL', 'the server does not serve topics (STATE capability not agreed)');
    }
    const subscription = new Subscription(topic, listener, this);
    this.subscriptions.set(topic, subscription);
    this.sendSubscribe(topic, 0n);
    return subscription;
  }

  /** @internal */
  unsubscribe(subscription: Subscription): void {
    if (this.subscriptions.get(subscription.topic) !== subscription) {
      return;
    }
    this.subscriptions.delete(subscription.topic);
    if (this.connection?.isOpen) {
      const body = new Uint8Array(2);
      new DataView(body.buffer).setUint16(0, subscription.topic, true);
      this.connection.send(Opcode.UNSUBSCRIBE, Flag.FINAL, 0, body);
    }
  }

  /** The CLOSE handshake; calls still waiting then fail, and the client does not reconnect. */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const connection = this.connection;
    if (connection) {
      await connection.close();
    }
    this.failPending(new HbtpError('UNAVAILABLE', 'the client was closed'));
  }

  private usableConnection(): Connection | HbtpError {
    if (this.closed) {
      return new HbtpError('UNAVAILABLE', 'the client was closed');
    }
    const connection = this.connection;
    if (!connection?.isOpen) {
      return new HbtpError('UNAVAILABLE', 'not connected');
    }
    return connection;
  }

  private takeSequence(): number {
    for (let i = 0; i < MAX_SEQUENCES; i++) {
      const sequence = this.nextSequence;
      this.nextSequence = (this.nextSequence + 1) & 0xffff;
      if (!this.pending.has(sequence)) {
        return sequence;
      }
    }
    throw new HbtpError('RESOURCE', 'no free sequence');
  }

  private sendSubscribe(topic: number, knownVersion: bigint): void {
    if (this.connection?.isOpen) {
      this.connection.send(Opcode.SUBSCRIBE, Flag.FINAL, 0, subscribeBody(topic, knownVersion));
    }
  }

  private onMessage(frame: Frame): void {
    let body = frame.payload;
    let metadata = Metadata.EMPTY;
    if ((frame.flags & Flag.METADATA) !== 0) {
      ({metadata, rest: body} = decodeMetadata(body));
    }
    switch (frame.opcode) {
      case Opcode.RPC_RESPONSE:
      case Opcode.RPC_ERROR:
        this.onAnswer(frame.opcode, frame.sequence, body, metadata);
        return;
      case Opcode.STATE_SYNC:
        this.onStateSync(body);
        return;
      case Opcode.STATE_DELTA:
        this.onStateDelta(body);
        return;
      case Opcode.SERVER_EVENT:
        this.onServerEvent(body);
        return;
    }
  }

  private onAnswer(opcode: number, sequence: number, body: Uint8Array, metadata: Metadata): void {
    const call = this.pending.get(sequence);
    if (!call) {
      return;
    }
    this.pending.delete(sequence);
    if (call.abandoned) {
      return;
    }
    call.cleanup();
    if (opcode === Opcode.RPC_RESPONSE) {
      call.resolve(new HbtpResponse(body, metadata));
      return;
    }
    const status = body.length >= 2 ? u16At(body, 0) : 8;
    const message = new TextDecoder().decode(body.subarray(Math.min(2, body.length)));
    call.reject(new HbtpRpcError(status, message, metadata));
  }

  private onStateSync(body: Uint8Array): void {
    if (body.length < 10) {
      return;
    }
    const topic = u16At(body, 0);
    const version = u64At(body, 2);
    const subscription = this.subscriptions.get(topic);
    if (!subscription) {
      return;
    }
    subscription.version = version;
    subscription.resyncing = false;
    this.notify(() => subscription.listener.onSync(version, body.subarray(10)));
  }

  private onStateDelta(body: Uint8Array): void {
    if (body.length < 18) {
      return;
    }
    const topic = u16At(body, 0);
    const base = u64At(body, 2);
    const version = u64At(body, 10);
    const subscription = this.subscriptions.get(topic);
    if (!subscription || version <= subscription.version) {
      return;
    }
    if (base !== subscription.version) {
      if (!subscription.resyncing) {
        subscription.resyncing = true;
        this.sendSubscribe(topic, subscription.version);
      }
      return;
    }
    subscription.version = version;
    subscription.resyncing = false;
    this.notify(() => subscription.listener.onDelta(base, version, body.subarray(18)));
  }

  private onServerEvent(body: Uint8Array): void {
    if (body.length < 2) {
      return;
    }
    const listener = this.eventListeners.get(u16At(body, 0));
    if (listener) {
      this.notify(() => listener(body.subarray(2)));
    }
  }

  /** A listener that throws must not break the connection: the error is reported, not rethrown. */
  private notify(deliver: () => void): void {
    try {
      deliver();
    } catch (e) {
      queueMicrotask(() => {
        throw e;
      });
    }
  }

  private failPending(error: HbtpError): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) {
      if (!call.abandoned) {
        call.cleanup();
        call.reject(error);
      }
    }
  }

  private onLost(error: HbtpError): void {
    this.failPending(error.category === 'NETWORK'
      ? new HbtpError('NETWORK', `${error.message} (the call may have run)`, error.closeCode) : error);
    this.options.onDisconnect?.(error);
    if (!this.closed && this.options.reconnect) {
      this.scheduleReconnect(0);
    }
  }

  private scheduleReconnect(attempt: number): void {
    const policy = this.options.reconnect || {};
    const initial = policy.initialDelayMs ?? 100;
    const max = policy.maxDelayMs ?? 10_000;
    const delay = Math.min(max, initial * 2 ** Math.min(attempt, 30));
    // Jitter, so that clients a server dropped at once do not all come back at once.
    const wait = delay / 2 + Math.random() * delay / 2;
    this.reconnectTimer = setTimeout(async () => {
      if (this.closed) {
        return;
      }
      try {
        const connection = await Connection.open(this.url, this.settings, this.events());
        if (this.closed) {
          await connection.close();
          return;
        }
        this.connection = connection;
        for (const subscription of this.subscriptions.values()) {
          subscription.resyncing = false;
          this.sendSubscribe(subscription.topic, subscription.version);
        }
        this.options.onReconnect?.();
      } catch {
        this.scheduleReconnect(attempt + 1);
      }
    }, wait);
  }
}
