// The client against a real HBTP-over-WebSocket server (the Java test server; its URL in HBTP_WS_URL), and
// against a staged server (FakeSocket) for what a well-behaved server never does on purpose.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {HbtpClient, HbtpError, HbtpRpcError, Status} from '../dist/index.js';
import {Capability, encodeFrame, encodeHello, Flag, Opcode} from '../dist/wire.js';
import {FakeSocket, tick} from './fake-socket.mjs';

const URL = process.env.HBTP_WS_URL;
const real = {skip: URL ? false : 'HBTP_WS_URL is not set: the Maven build starts the server and sets it'};

// Routes, events and topics of the Java test server (TypeScriptClientTest.TestServer).
const ECHO = 1, FAIL = 2, SLOW = 3, METADATA = 4, PUBLISH = 5, DROP = 6, CANCELLED_COUNT = 8;
const CLIENT_EVENT = 11, ECHOED_EVENT = 12, TOPIC = 7;

const text = (bytes) => new TextDecoder().decode(bytes);

function deferred() {
  let resolve;
  const promise = new Promise((r) => resolve = r);
  return {promise, resolve};
}

async function until(what, condition) {
  for (let i = 0; i < 1000; i++) {
    if (await condition()) {
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`still not true after 20 s: ${what}`);
}

// The same routes with encryption required and this pre-shared key (TestServer.PRE_SHARED_KEY).
const SEALED_URL = process.env.HBTP_WS_SEALED_URL;
const PSK = new TextEncoder().encode('the TypeScript test pre-shared key');

test('encryption: sealed calls, events and large messages; another key, or none, fails the connect', real, async () => {
  const client = await HbtpClient.connect(SEALED_URL, {encryption: 'required', preSharedKey: PSK});
  try {
    assert.ok((client.capabilities & Capability.ENCRYPTION) !== 0);
    assert.equal((await client.call(ECHO, 'sealed hello')).text(), 'sealed hello');
    const big = new Uint8Array(3 << 20).map((_, i) => i * 7);
    assert.deepEqual((await client.call(ECHO, big)).body, big);
    await assert.rejects(client.call(FAIL, 'x'), (e) => e instanceof HbtpRpcError && e.message === 'refused: x');
    const echoed = deferred();
    client.onEvent(ECHOED_EVENT, (body) => echoed.resolve(text(body)));
    client.sendEvent(CLIENT_EVENT, 'sealed event');
    assert.equal(await echoed.promise, 'sealed event');
  } finally {
    await client.close();
  }
  const wrongKey = new TextEncoder().encode('not the key the server was given');
  await assert.rejects(HbtpClient.connect(SEALED_URL, {encryption: 'required', preSharedKey: wrongKey}),
    (e) => e instanceof HbtpError && e.category === 'SECURITY', 'different keys fail the connect itself');
  await assert.rejects(HbtpClient.connect(SEALED_URL), (e) => e instanceof HbtpError, 'plaintext to a server that requires encryption');
  const optional = await HbtpClient.connect(URL, {encryption: 'optional'});
  try {
    assert.ok((optional.capabilities & Capability.ENCRYPTION) !== 0, 'the plain test server agrees when asked');
    assert.equal((await optional.call(ECHO, 'optional')).text(), 'optional');
  } finally {
    await optional.close();
  }
});

test('compression: zstd agreed, compressible and random bodies both ways come back whole', real, async () => {
  const client = await HbtpClient.connect(URL, {compression: true});
  try {
    assert.ok((client.capabilities & Capability.ZSTD) !== 0, 'the test server agrees to ZSTD');
    const repetitive = new TextEncoder().encode('a price board row, '.repeat(20000));
    assert.deepEqual((await client.call(ECHO, repetitive)).body, repetitive);
    const random = crypto.getRandomValues(new Uint8Array(60000));
    assert.deepEqual((await client.call(ECHO, random)).body, random);
    assert.equal((await client.call(ECHO, 'small')).text(), 'small');
  } finally {
    await client.close();
  }
});

test('a compressed payload is checked before it is decompressed', async () => {
  const {contentSize} = await import('../dist/compression.js');
  const frame = (descriptor, ...rest) => new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, descriptor, ...rest]);
  assert.equal(contentSize(frame(0x20, 200)), 200);                       // single segment, 1-byte size
  assert.equal(contentSize(frame(0x60, 0x00, 0x01)), 256 + 256);          // 2-byte size, +256
  assert.equal(contentSize(frame(0xa0, 0x00, 0x00, 0x00, 0x40)), 1 << 30); // 4-byte size
  assert.throws(() => contentSize(frame(0x00, 0x50)), /without its content size/);
  assert.throws(() => contentSize(new Uint8Array([1, 2, 3, 4, 5, 6])), /not a zstd frame/);
  assert.throws(() => contentSize(frame(0xa0, 0x00)), /cut short/);
});

test('calls, errors, metadata and large messages', real, async () => {
  const client = await HbtpClient.connect(URL);
  try {
    assert.equal((await client.call(ECHO, 'hello')).text(), 'hello');
    await assert.rejects(client.call(FAIL, 'x'), (e) => e instanceof HbtpRpcError && e.status === Status.BAD_REQUEST
      && e.statusName === 'BAD_REQUEST' && e.message === 'refused: x' && !e.retryable);
    await assert.rejects(client.call(999), (e) => e instanceof HbtpRpcError && e.status === Status.UNKNOWN_ROUTE);
    const traced = await client.call(METADATA, 'm', {metadata: {'trace-id': 't-42'}});
    assert.equal(traced.metadata.text('trace-id'), 't-42');
    // 3 MiB each way: split into frames of the server's maximum going out, fragments joined coming back.
    const big = new Uint8Array(3 << 20).map((_, i) => (i * 31) & 0xff);
    const answer = await client.call(ECHO, big);
    assert.equal(answer.body.length, big.length);
    assert.ok(Buffer.from(answer.body).equals(Buffer.from(big)));
    const many = await Promise.all(Array.from({length: 200}, (_, i) => client.call(ECHO, `n${i}`)));
    assert.deepEqual(many.map((r) => r.text()), Array.from({length: 200}, (_, i) => `n${i}`));
  } finally {
    await client.close();
  }
});

test('deadlines, timeouts and AbortSignal: the call fails and the server hears CANCEL', real, async () => {
  const client = await HbtpClient.connect(URL);
  try {
    const before = Number((await client.call(CANCELLED_COUNT)).text());
    await assert.rejects(client.call(SLOW, '', {deadlineMs: 50}),
      (e) => e instanceof HbtpRpcError && e.status === Status.DEADLINE_EXCEEDED && e.category === 'TIMEOUT');
    await assert.rejects(client.call(SLOW, '', {timeoutMs: 50}),
      (e) => e instanceof HbtpError && e.category === 'TIMEOUT');
    const abort = new AbortController();
    const call = client.call(SLOW, '', {signal: abort.signal});
    setTimeout(() => abort.abort(), 50);
    await assert.rejects(call, (e) => e.name === 'AbortError');
    // Deadline, timeout (CANCEL) and abort (CANCEL): three calls the server marked cancelled.
    await until('the server saw the calls cancelled',
      async () => Number((await client.call(CANCELLED_COUNT)).text()) >= before + 3);
    const already = AbortSignal.abort();
    await assert.rejects(client.call(ECHO, 'x', {signal: already}), (e) => e.name === 'AbortError');
    assert.equal((await client.call(ECHO, 'still fine')).text(), 'still fine');
  } finally {
    await client.close();
  }
});

test('events both ways', real, async () => {
  const client = await HbtpClient.connect(URL);
  try {
    const got = deferred();
    client.onEvent(ECHOED_EVENT, (body) => got.resolve(text(body)));
    client.sendEvent(CLIENT_EVENT, 'from the client');
    assert.equal(await got.promise, 'from the client');
  } finally {
    await client.close();
  }
});

test('a topic: state, then deltas in order', real, async () => {
  const client = await HbtpClient.connect(URL);
  try {
    const seen = [];
    let synced = deferred();
    const subscription = client.subscribe(TOPIC, {
      onSync: (version, state) => {
        seen.push(['sync', version, text(state)]);
        synced.resolve();
      },
      onDelta: (base, version, delta) => seen.push(['delta', base, version, text(delta)]),
    });
    await synced.promise;
    const start = subscription.knownVersion;
    await client.call(PUBLISH, 'one');
    await client.call(PUBLISH, 'two');
    await until('two deltas', () => seen.length >= 3);
    assert.deepEqual(seen.slice(1), [['delta', start, start + 1n, 'one'], ['delta', start + 1n, start + 2n, 'two']]);
    subscription.unsubscribe();
  } finally {
    await client.close();
  }
});

test('the CLOSE handshake, and calls after it fail at once', real, async () => {
  const client = await HbtpClient.connect(URL);
  await client.close();
  assert.equal(client.state, 'closed');
  await assert.rejects(client.call(ECHO, 'late'), (e) => e instanceof HbtpError && e.category === 'UNAVAILABLE');
});

test('a lost connection is made again with backoff and the subscription resumes', real, async () => {
  let reconnected = deferred();
  const client = await HbtpClient.connect(URL, {
    reconnect: {initialDelayMs: 20, maxDelayMs: 200}, onReconnect: () => reconnected.resolve(),
  });
  try {
    const deltas = [];
    let synced = deferred();
    client.subscribe(TOPIC, {onSync: () => synced.resolve(), onDelta: (b, v, d) => deltas.push(text(d))});
    await synced.promise;
    await assert.rejects(client.call(DROP), (e) => e instanceof HbtpError && e.category === 'NETWORK');
    await reconnected.promise;
    assert.equal(client.state, 'open');
    assert.equal((await client.call(ECHO, 'again')).text(), 'again');
    await client.call(PUBLISH, 'after reconnect');
    await until('the delta published after the reconnect', () => deltas.includes('after reconnect'));
  } finally {
    await client.close();
  }
});

test('connecting to a path that is not served fails', real, async () => {
  await assert.rejects(HbtpClient.connect(URL.replace(/\/hbtp$/, '/nothing'), {connectTimeoutMs: 2000}),
    (e) => e instanceof HbtpError);
});

// ---- a staged server ----------------------------------------------------------------------------------

async function staged() {
  let socket;
  const connecting = HbtpClient.connect('ws://staged/hbtp', {webSocket: () => socket = new FakeSocket(), idleTimeoutMs: 0});
  await tick();
  socket.ack(Capability.METADATA | Capability.STATE);
  return {client: await connecting, socket};
}

const u64 = (view, at, value) => view.setBigUint64(at, value, true);

function sync(topic, version, state) {
  const body = new Uint8Array(10 + state.length);
  const view = new DataView(body.buffer);
  view.setUint16(0, topic, true);
  u64(view, 2, version);
  body.set(new TextEncoder().encode(state), 10);
  return encodeFrame(Opcode.STATE_SYNC, Flag.FINAL, 0, body);
}

function delta(topic, base, version, change) {
  const body = new Uint8Array(18 + change.length);
  const view = new DataView(body.buffer);
  view.setUint16(0, topic, true);
  u64(view, 2, base);
  u64(view, 10, version);
  body.set(new TextEncoder().encode(change), 18);
  return encodeFrame(Opcode.STATE_DELTA, Flag.FINAL, 0, body);
}

test('a version gap asks again from the version held and ignores deltas until the answer', async () => {
  const {client, socket} = await staged();
  const seen = [];
  client.subscribe(3, {
    onSync: (v, s) => seen.push(`sync ${v} ${text(s)}`),
    onDelta: (b, v, d) => seen.push(`delta ${v} ${text(d)}`),
  });
  socket.deliver(sync(3, 5n, 'five'), delta(3, 5n, 6n, 'six'));
  socket.deliver(delta(3, 7n, 8n, 'eight'), delta(3, 8n, 9n, 'nine'));
  const subscribes = socket.sentOf(Opcode.SUBSCRIBE).map((f) => new DataView(f.payload.buffer, f.payload.byteOffset).getBigUint64(2, true));
  assert.deepEqual(subscribes, [0n, 6n], 'first from nothing, then once from version 6');
  socket.deliver(delta(3, 6n, 7n, 'seven'), delta(3, 7n, 8n, 'eight'));
  assert.deepEqual(seen, ['sync 5 five', 'delta 6 six', 'delta 7 seven', 'delta 8 eight']);
  await closeStaged(client, socket);
});

test('a text message or a frame cut in two from the server closes with CLOSE 1003 / 1002', async () => {
  for (const [bad, code] of [['text', 1003], ['cut', 1002]]) {
    const lost = deferred();
    let socket;
    const connecting = HbtpClient.connect('ws://staged/hbtp', {
      webSocket: () => socket = new FakeSocket(), idleTimeoutMs: 0, onDisconnect: (e) => lost.resolve(e),
    });
    await tick();
    socket.ack(Capability.METADATA);
    const client = await connecting;
    const pendingCall = client.call(1, 'x');
    if (bad === 'text') {
      socket.onmessage({data: 'not binary'});
    } else {
      const frame = encodeFrame(Opcode.RPC_RESPONSE, Flag.FINAL, 1, new Uint8Array(10));
      socket.onmessage({data: frame.slice(0, 12).buffer});
    }
    const error = await lost.promise;
    assert.equal(error.closeCode, code);
    const close = socket.sentOf(Opcode.CLOSE)[0];
    assert.equal(new DataView(close.payload.buffer, close.payload.byteOffset).getUint16(0, true), code);
    await assert.rejects(pendingCall, (e) => e instanceof HbtpError);
    await client.close();
  }
});

test('a server that does not answer PING is given up with CLOSE 1001 after the pong timeout', async () => {
  const lost = deferred();
  let socket;
  const connecting = HbtpClient.connect('ws://staged/hbtp', {
    webSocket: () => socket = new FakeSocket(), idleTimeoutMs: 40, pongTimeoutMs: 80,
    onDisconnect: (e) => lost.resolve(e),
  });
  await tick();
  socket.ack(Capability.METADATA);
  const client = await connecting;
  const error = await lost.promise;
  assert.equal(error.closeCode, 1001);
  assert.ok(socket.sentOf(Opcode.PING).length >= 1, 'a PING went out');
  const close = socket.sentOf(Opcode.CLOSE)[0];
  assert.equal(new DataView(close.payload.buffer, close.payload.byteOffset).getUint16(0, true), 1001);
  assert.equal(client.state, 'disconnected');
  await client.close();
});

test('the server\'s PING is answered with a PONG of the same sequence and bytes', async () => {
  const {client, socket} = await staged();
  socket.deliver(encodeFrame(Opcode.PING, Flag.FINAL, 77, new Uint8Array([1, 2, 3])));
  const pong = socket.sentOf(Opcode.PONG)[0];
  assert.equal(pong.sequence, 77);
  assert.deepEqual([...pong.payload], [1, 2, 3]);
  await closeStaged(client, socket);
});

test('a message larger than the server takes fails at once, nothing is sent', async () => {
  let socket;
  const connecting = HbtpClient.connect('ws://staged/hbtp', {webSocket: () => socket = new FakeSocket(), idleTimeoutMs: 0});
  await tick();
  socket.deliver(encodeFrame(Opcode.HELLO_ACK, Flag.FINAL, 0, encodeHello({
    version: 1, capabilities: Capability.METADATA, maxFrameLength: 1024, maxMessageLength: 4096,
  })));
  const client = await connecting;
  const sentBefore = socket.sent.length;
  await assert.rejects(client.call(1, new Uint8Array(5000)), (e) => e instanceof HbtpError && e.category === 'RESOURCE');
  assert.throws(() => client.sendEvent(1, new Uint8Array(5000)), (e) => e instanceof HbtpError && e.category === 'RESOURCE');
  assert.equal(socket.sent.length, sentBefore);
  const fits = client.call(1, new Uint8Array(3000));
  const frames = socket.sent.slice(sentBefore);
  assert.deepEqual(frames.map((f) => f.payload.length), [1024, 1024, 954], 'split at the server frame limit');
  assert.deepEqual(frames.map((f) => f.flags & Flag.FINAL), [0, 0, Flag.FINAL]);
  socket.deliver(encodeFrame(Opcode.RPC_RESPONSE, Flag.FINAL, frames[0].sequence, new Uint8Array([7])));
  assert.deepEqual([...(await fits).body], [7]);
  await closeStaged(client, socket);
});

async function closeStaged(client, socket) {
  const closing = client.close();
  await tick();
  socket.deliver(encodeFrame(Opcode.CLOSE, Flag.FINAL, 0, new Uint8Array([0xe8, 0x03])));
  await closing;
  assert.equal(socket.closedWith, 1000);
}
