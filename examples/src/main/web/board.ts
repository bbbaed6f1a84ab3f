// The live board: every category's items from its topic (a snapshot, then one delta per change), over HBTP on
// the page's own origin (WebSocket at /hbtp), and a form that changes a price through route 3 with the token.
// The messages are read and written by the teleport views the processor generated from the Java records.
import {HbtpClient, HbtpRpcError} from '@dx-reactor/hbtp-client';
import {type Item, ItemView} from 'teleport/dev/dxreactor/examples/showcase/messages/Item.js';
import {PriceChangeTeleport} from 'teleport/dev/dxreactor/examples/showcase/messages/PriceChange.js';
import {MESSAGE_LENGTH_OFFSET} from 'teleport/teleport.js';

const ROUTE_PRICE = 3;
const CATEGORIES = 12;

const board = document.querySelector<HTMLTableSectionElement>('#items')!;
const status = document.querySelector<HTMLElement>('#status')!;
const form = document.querySelector<HTMLFormElement>('#change')!;
const answer = document.querySelector<HTMLElement>('#answer')!;
const rows = new Map<bigint, HTMLTableRowElement>();

/** The items of a category's snapshot: Item messages back to back, each validated as it is wrapped. */
function readItems(bytes: Uint8Array): Item[] {
  const lengths = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const items: Item[] = [];
  for (let at = 0; at < bytes.byteLength; at += lengths.getUint32(at + MESSAGE_LENGTH_OFFSET, true)) {
    items.push(ItemView.wrap(bytes, at).toObject());
  }
  return items;
}

function money(cents: bigint): string {
  const whole = cents / 100n;
  const rest = (cents % 100n).toString().padStart(2, '0');
  return `${whole}.${rest}`;
}

/** Puts {@code item} on the board, in id order, and marks the row when its price changed. */
function show(item: Item, changed: boolean): void {
  let row = rows.get(item.id);
  if (!row) {
    row = document.createElement('tr');
    row.id = `item-${item.id}`;
    for (let i = 0; i < 5; i++) {
      row.appendChild(document.createElement('td'));
    }
    const after = [...rows.keys()].filter((id) => id > item.id).sort((a, b) => (a < b ? -1 : 1))[0];
    board.insertBefore(row, after === undefined ? null : rows.get(after)!);
    rows.set(item.id, row);
  }
  const cells = row.cells;
  cells[0].textContent = item.id.toString();
  cells[1].textContent = item.category ?? '';
  cells[2].textContent = item.name ?? '';
  cells[3].textContent = money(item.priceCents);
  cells[3].className = 'price';
  cells[4].textContent = item.stock.toString();
  if (changed) {
    row.classList.remove('changed');
    void row.offsetWidth; // restarts the highlight
    row.classList.add('changed');
  }
}

function token(): string {
  return new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
}

async function main(): Promise<void> {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/hbtp`;
  const client = await HbtpClient.connect(url, {
    reconnect: {initialDelayMs: 200, maxDelayMs: 5000},
    onDisconnect: (e) => (status.textContent = `disconnected: ${e.message}; reconnecting`),
    onReconnect: () => (status.textContent = 'connected again'),
  });
  let synced = 0;
  for (let topic = 1; topic <= CATEGORIES; topic++) {
    client.subscribe(topic, {
      onSync: (_version, state) => {
        readItems(state).forEach((item) => show(item, false));
        synced++;
        status.textContent = synced === CATEGORIES ? `live: ${rows.size} items` : `loading ${synced}/${CATEGORIES}`;
        document.body.dataset.state = synced === CATEGORIES ? 'live' : 'loading';
      },
      onDelta: (_base, _version, delta) => show(ItemView.wrap(delta).toObject(), true),
    });
  }

  (form.elements.namedItem('token') as HTMLInputElement).value = token();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    try {
      const body = PriceChangeTeleport.write({id: BigInt(field('id')),
        priceCents: BigInt(Math.round(Number(field('price')) * 100)), stock: Number(field('stock'))});
      await client.call(ROUTE_PRICE, body, {metadata: {auth: `Bearer ${field('token')}`}, deadlineMs: 5000});
      answer.textContent = `item ${field('id')} changed`;
    } catch (e) {
      answer.textContent = e instanceof HbtpRpcError ? `refused: ${e.statusName} (${e.message})` : `failed: ${e}`;
    }
  });
}

main().catch((e) => {
  status.textContent = `could not connect: ${e}`;
  document.body.dataset.state = 'failed';
});
