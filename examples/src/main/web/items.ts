// The showcase's teleport messages as the page reads and writes them: the layouts of Item and PriceChange
// (ItemLayout, PriceChangeLayout of the Java build), little-endian, every reference checked before it is read.

const HEADER = 16;
const SCHEMA_ID = 1;
const ITEM_TEMPLATE = 26977;
const ITEM_BLOCK = 48;
const PRICE_CHANGE_TEMPLATE = 10093;
const PRICE_CHANGE_BLOCK = 20;
const NO_STRING = 0xffffffff;

export interface Item {
  id: bigint;
  category: string;
  name: string;
  priceCents: bigint;
  stock: number;
}

const utf8 = new TextDecoder('utf-8', {fatal: true});

/** The Item message at {@code offset}, and where the next message starts; throws on a malformed message. */
export function readItem(bytes: Uint8Array, offset: number): {item: Item; next: number} {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (offset + HEADER > bytes.byteLength) {
    throw new Error(`Item: header past the end at ${offset}`);
  }
  const blockLength = view.getUint16(offset, true);
  const template = view.getUint16(offset + 2, true);
  const schema = view.getUint16(offset + 4, true);
  const tableOffset = view.getUint32(offset + 8, true);
  const length = view.getUint32(offset + 12, true);
  if (schema !== SCHEMA_ID || template !== ITEM_TEMPLATE) {
    throw new Error(`Item: not an Item message (schema ${schema}, template ${template})`);
  }
  if (blockLength < ITEM_BLOCK || length > bytes.byteLength - offset || tableOffset < HEADER + ITEM_BLOCK
      || tableOffset > length) {
    throw new Error(`Item: lengths out of bounds at ${offset}`);
  }
  const block = offset + HEADER;
  const text = (at: number, field: string): string => {
    const start = view.getUint32(block + at, true);
    const size = view.getUint32(block + at + 4, true);
    if (start === NO_STRING) {
      return '';
    }
    if (start > length - tableOffset || size > length - tableOffset - start) {
      throw new Error(`Item.${field}: string outside the message`);
    }
    const from = offset + tableOffset + start;
    return utf8.decode(bytes.subarray(from, from + size));
  };
  const item = {
    id: view.getBigInt64(block, true),
    category: text(8, 'category'),
    name: text(16, 'name'),
    priceCents: view.getBigInt64(block + 24, true),
    stock: view.getInt32(block + 32, true),
  };
  return {item, next: offset + length};
}

/** Every Item of a list: Item messages back to back. */
export function readItems(bytes: Uint8Array): Item[] {
  const items: Item[] = [];
  for (let at = 0; at < bytes.byteLength;) {
    const {item, next} = readItem(bytes, at);
    if (next <= at) {
      throw new Error('Item list: a message of length 0');
    }
    items.push(item);
    at = next;
  }
  return items;
}

/** A PriceChange message, as the Java writer writes it: header, the block padded to 8, no strings. */
export function writePriceChange(id: bigint, priceCents: bigint, stock: number): Uint8Array {
  const padded = (PRICE_CHANGE_BLOCK + 7) & ~7;
  const length = HEADER + padded;
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, PRICE_CHANGE_BLOCK, true);
  view.setUint16(2, PRICE_CHANGE_TEMPLATE, true);
  view.setUint16(4, SCHEMA_ID, true);
  view.setUint16(6, 1, true);
  view.setUint32(8, length, true);
  view.setUint32(12, length, true);
  view.setBigInt64(HEADER, id, true);
  view.setBigInt64(HEADER + 8, priceCents, true);
  view.setInt32(HEADER + 16, stock, true);
  return bytes;
}
