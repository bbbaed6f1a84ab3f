// Runs in the browser: the compiled client, served by the test server, against that server. Each check
// records what it saw; window.hbtpResult says whether all passed, for the Node test that drives the browser.
import {HbtpClient, HbtpError, HbtpRpcError, Status} from '../dist/index.js';

const checks = [];
const log = document.getElementById('log');

function check(name, passed, detail = '') {
  checks.push({name, passed: Boolean(passed), detail: String(detail)});
  log.textContent += `${passed ? 'ok' : 'FAIL'} ${name} ${detail}\n`;
}

async function rejectsWith(promise, test) {
  try {
    await promise;
    return 'resolved';
  } catch (e) {
    return test(e) ? true : `${e?.name}: ${e?.message}`;
  }
}

async function run() {
  const url = `ws://${location.host}/hbtp`;
  const client = await HbtpClient.connect(url);
  check('connect: HELLO_ACK agreed METADATA and STATE', client.capabilities === 0x0c, client.capabilities);

  const echo = await client.call(1, 'hello from the browser');
  check('call: echo', echo.text() === 'hello from the browser', echo.text());

  const big = new Uint8Array(2 << 20).map((_, i) => (i * 7) & 0xff);
  const bigAnswer = await client.call(1, big);
  check('call: 2 MiB each way', bigAnswer.body.length === big.length && bigAnswer.body.every((b, i) => b === big[i]),
    bigAnswer.body.length);

  const refused = await rejectsWith(client.call(2, 'no'),
    (e) => e instanceof HbtpRpcError && e.status === Status.BAD_REQUEST && e.message === 'refused: no');
  check('call: RPC_ERROR with status and message', refused === true, refused);

  const traced = await client.call(4, '', {metadata: {'trace-id': 'browser-1'}});
  check('call: response metadata', traced.metadata.text('trace-id') === 'browser-1', traced.metadata.text('trace-id'));

  const deadline = await rejectsWith(client.call(3, '', {deadlineMs: 50}),
    (e) => e instanceof HbtpRpcError && e.status === Status.DEADLINE_EXCEEDED);
  check('call: deadline-ms answered DEADLINE_EXCEEDED', deadline === true, deadline);

  const abort = new AbortController();
  const aborted = client.call(3, '', {signal: abort.signal});
  setTimeout(() => abort.abort(), 20);
  const abortResult = await rejectsWith(aborted, (e) => e.name === 'AbortError');
  check('call: AbortSignal rejects', abortResult === true, abortResult);

  const event = new Promise((resolve) => client.onEvent(12, (body) => resolve(new TextDecoder().decode(body))));
  client.sendEvent(11, 'browser event');
  const echoedEvent = await event;
  check('events: CLIENT_EVENT in, SERVER_EVENT out', echoedEvent === 'browser event', echoedEvent);

  const updates = [];
  let gotState;
  const state = new Promise((resolve) => gotState = resolve);
  let gotDelta;
  const deltaSeen = new Promise((resolve) => gotDelta = resolve);
  const subscription = client.subscribe(7, {
    onSync: (version, bytes) => {
      updates.push(`sync ${new TextDecoder().decode(bytes)}`);
      gotState(version);
    },
    onDelta: (base, version, bytes) => {
      updates.push(`delta ${version - base} ${new TextDecoder().decode(bytes)}`);
      gotDelta();
    },
  });
  await state;
  await client.call(5, 'from the browser');
  await deltaSeen;
  check('topic: snapshot then delta', updates.length === 2 && updates[0].startsWith('sync ')
    && updates[1] === 'delta 1 from the browser', updates.join(' | '));
  subscription.unsubscribe();

  await client.close();
  const late = await rejectsWith(client.call(1, 'late'), (e) => e instanceof HbtpError && e.category === 'UNAVAILABLE');
  check('close: CLOSE handshake, then calls fail at once', client.state === 'closed' && late === true, late);
}

run().then(
  () => window.hbtpResult = {ok: checks.length > 0 && checks.every((c) => c.passed), checks},
  (e) => window.hbtpResult = {ok: false, checks, error: `${e?.name}: ${e?.message}`},
);
