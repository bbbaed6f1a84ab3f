// The runtime of the TypeScript views and writers the teleport processor generates: the message header,
// a reader that checks every reference once when a message is wrapped, and a growable writer. The format
// is the one of the Java runtime (dx-teleport), little-endian throughout. No dependencies.

/** Bytes of the header in front of every message. */
export const HEADER_SIZE = 16;
export const BLOCK_LENGTH_OFFSET = 0;
export const TEMPLATE_ID_OFFSET = 2;
export const SCHEMA_ID_OFFSET = 4;
export const VERSION_OFFSET = 6;
export const STRING_TABLE_OFFSET = 8;
export const MESSAGE_LENGTH_OFFSET = 12;
/** A string or slice reference: u32 offset, u32 length (strings) or count (slices). */
export const REFERENCE_SIZE = 8;
/** The offset a null string's reference holds, with length 0. */
export const NULL_STRING = 0xffffffff;

/** The bytes are not a valid message of the expected type; the message names the field at fault. */
export class TeleportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TeleportFormatError";
  }
}

// Java decodes without dropping a leading byte order mark, so these must not drop one either.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const strictDecoder = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });
const encoder = new TextEncoder();

/**
 * One message being read. `wrap` checks the header and the `check*` methods each reference, once; the
 * read methods then do no checks of their own, because every position they use was proved inside the
 * message. Positions are indexes into `bytes`, not offsets from the message start.
 */
export class TeleportReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Where the message starts in `bytes`. */
  readonly base: number;
  /** The root block length the writer's version has. */
  readonly blockLength: number;
  /** The writer's version of the type. */
  readonly version: number;
  /** Where the string table starts in `bytes`. */
  readonly stringTable: number;
  /** Where the message ends in `bytes`. */
  readonly end: number;
  private readonly validateUtf8: boolean;
  /** Bytes of all slices checked so far: more than the slice area means slices overlap. */
  private sliced = 0;

  private constructor(bytes: Uint8Array, view: DataView, base: number, blockLength: number, version: number,
                      stringTable: number, end: number, validateUtf8: boolean) {
    this.bytes = bytes;
    this.view = view;
    this.base = base;
    this.blockLength = blockLength;
    this.version = version;
    this.stringTable = stringTable;
    this.end = end;
    this.validateUtf8 = validateUtf8;
  }

  /**
   * A reader of the message at `offset` of `bytes`, its header checked.
   *
   * @param minBlockLength the block length of the reader's first version: a message must have at least
   *                       the fields every version has
   * @throws TeleportFormatError when the bytes are not a message of this schema and template
   */
  static wrap(bytes: Uint8Array, offset: number, schemaId: number, templateId: number, minBlockLength: number,
              validateUtf8: boolean): TeleportReader {
    const limit = bytes.length;
    if (!Number.isInteger(offset) || offset < 0 || offset > limit || limit - offset < HEADER_SIZE) {
      throw new TeleportFormatError(`a message needs a ${HEADER_SIZE}-byte header; `
          + `${Math.max(0, limit - offset)} bytes at offset ${offset}`);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const block = view.getUint16(offset + BLOCK_LENGTH_OFFSET, true);
    const actualTemplate = view.getUint16(offset + TEMPLATE_ID_OFFSET, true);
    const actualSchema = view.getUint16(offset + SCHEMA_ID_OFFSET, true);
    const version = view.getUint16(offset + VERSION_OFFSET, true);
    const table = view.getUint32(offset + STRING_TABLE_OFFSET, true);
    const messageLength = view.getUint32(offset + MESSAGE_LENGTH_OFFSET, true);
    const present = limit - offset;
    if (actualSchema !== schemaId || actualTemplate !== templateId) {
      throw new TeleportFormatError(`message of schema ${actualSchema}, template ${actualTemplate}; `
          + `expected schema ${schemaId}, template ${templateId}`);
    }
    if (messageLength < HEADER_SIZE || messageLength > present) {
      throw new TeleportFormatError(`message length ${messageLength} but ${present} bytes are present`);
    }
    if (block < minBlockLength || HEADER_SIZE + block > messageLength) {
      throw new TeleportFormatError(`block length ${block} outside ${minBlockLength}..`
          + `${messageLength - HEADER_SIZE}`);
    }
    if (table < HEADER_SIZE + block || table > messageLength) {
      throw new TeleportFormatError(`string table offset ${table} outside ${HEADER_SIZE + block}..`
          + `${messageLength}`);
    }
    return new TeleportReader(bytes, view, offset, block, version, offset + table, offset + messageLength,
        validateUtf8);
  }

  /** Where the root block starts in `bytes`. */
  get block(): number {
    return this.base + HEADER_SIZE;
  }

  /** Bytes of the whole message. */
  get messageLength(): number {
    return this.end - this.base;
  }

  // ---- checks, run once by a view's wrap ----------------------------------------------------------------

  /** Checks the string reference at `refAt` against the string table, and its UTF-8 when asked to. */
  checkString(refAt: number, field: string): void {
    const from = this.view.getUint32(refAt, true);
    const length = this.view.getUint32(refAt + 4, true);
    if (from === NULL_STRING && length === 0) {
      return;
    }
    const tableLength = this.end - this.stringTable;
    if (from + length > tableLength) {
      throw new TeleportFormatError(`${field}: string of ${length} bytes at ${from} outside the string table`
          + ` of ${tableLength} bytes`);
    }
    if (this.validateUtf8) {
      try {
        strictDecoder.decode(this.bytes.subarray(this.stringTable + from, this.stringTable + from + length));
      } catch {
        throw new TeleportFormatError(`${field}: string is not well-formed UTF-8`);
      }
    }
  }

  /**
   * Checks the slice reference at `refAt`: aligned to `elementAlignment`, after the root block, its elements
   * before the string table, and not overlapping other slices (so that a crafted message cannot make
   * validation visit the same elements again and again).
   *
   * @returns the number of elements
   */
  checkSlice(refAt: number, elementSize: number, elementAlignment: number, field: string): number {
    const offset = this.view.getUint32(refAt, true);
    const count = this.view.getUint32(refAt + 4, true);
    if (count === 0) {
      return 0;
    }
    const start = this.base + offset;
    const bytes = count * elementSize;
    const area = this.block + this.blockLength;
    if (offset % elementAlignment !== 0 || start < area || start + bytes > this.stringTable) {
      throw new TeleportFormatError(`${field}: slice of ${count} x ${elementSize} bytes at offset ${offset} `
          + `outside the slice area ${area - this.base}..${this.stringTable - this.base}`);
    }
    this.sliced += bytes;
    if (this.sliced > this.stringTable - area) {
      throw new TeleportFormatError(`${field}: slices overlap (${this.sliced} bytes referenced in a slice`
          + ` area of ${this.stringTable - area})`);
    }
    return count;
  }

  /** Checks that the enum ordinal at `at`, `width` bytes wide, names one of `constants` constants. */
  checkEnum(at: number, width: number, constants: number, field: string): void {
    const ordinal = this.enumOrdinal(at, width);
    if (ordinal >= constants) {
      throw new TeleportFormatError(`${field}: enum ordinal ${ordinal} but there are only ${constants}`
          + " constants");
    }
  }

  // ---- reads, unchecked once wrapped --------------------------------------------------------------------

  boolean(at: number): boolean {
    return this.bytes[at] !== 0;
  }

  byte(at: number): number {
    return this.view.getInt8(at);
  }

  short(at: number): number {
    return this.view.getInt16(at, true);
  }

  /** A Java `char`: one UTF-16 code unit, as a string of length 1. */
  char(at: number): string {
    return String.fromCharCode(this.view.getUint16(at, true));
  }

  int(at: number): number {
    return this.view.getInt32(at, true);
  }

  long(at: number): bigint {
    return this.view.getBigInt64(at, true);
  }

  float(at: number): number {
    return this.view.getFloat32(at, true);
  }

  double(at: number): number {
    return this.view.getFloat64(at, true);
  }

  enumOrdinal(at: number, width: number): number {
    switch (width) {
      case 1:
        return this.bytes[at];
      case 2:
        return this.view.getUint16(at, true);
      default:
        return this.view.getUint32(at, true);
    }
  }

  /** The string referenced at `refAt`, decoded (malformed UTF-8 as U+FFFD); null for a null string. */
  string(refAt: number): string | null {
    const bytes = this.stringBytes(refAt);
    return bytes === null ? null : decoder.decode(bytes);
  }

  /** The UTF-8 bytes of the string referenced at `refAt`, a view of the message; null for a null string. */
  stringBytes(refAt: number): Uint8Array | null {
    const from = this.view.getUint32(refAt, true);
    const length = this.view.getUint32(refAt + 4, true);
    if (from === NULL_STRING && length === 0) {
      return null;
    }
    return this.bytes.subarray(this.stringTable + from, this.stringTable + from + length);
  }

  /** Where the first element of the slice referenced at `refAt` is in `bytes`. */
  sliceStart(refAt: number): number {
    return this.base + this.view.getUint32(refAt, true);
  }

  /** How many elements the slice referenced at `refAt` has. */
  sliceCount(refAt: number): number {
    return this.view.getUint32(refAt + 4, true);
  }

  /** The `byte[]` slice referenced at `refAt`, as a view of the message (no copy). */
  sliceBytes(refAt: number): Uint8Array {
    const count = this.sliceCount(refAt);
    // An empty slice's offset is never checked, so it must not be used.
    if (count === 0) {
      return new Uint8Array(0);
    }
    const start = this.sliceStart(refAt);
    return this.bytes.subarray(start, start + count);
  }

  /** The list referenced at `refAt`: its elements are blocks `stride` apart, each read through `view`. */
  list<T>(refAt: number, stride: number, view: (at: number) => T): TeleportList<T> {
    return new TeleportList(this.sliceStart(refAt), this.sliceCount(refAt), stride, view);
  }
}

/** @throws RangeError unless `0 <= index < size` */
export function checkIndex(index: number, size: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`index ${index} out of bounds for size ${size}`);
  }
}

/** How a view checks a message when it wraps it. */
export interface WrapOptions {
  /** Also check that every string is well-formed UTF-8 (off by default: malformed bytes decode to U+FFFD). */
  readonly validateUtf8?: boolean;
}

/** The elements of a list component, read in place: `get` makes the element's view. */
export class TeleportList<T> implements Iterable<T> {
  /** A list with no elements: what a list component added after the writer's version reads as. */
  static empty<T>(): TeleportList<T> {
    return new TeleportList<T>(0, 0, 0, () => {
      throw new RangeError("the list is empty");
    });
  }

  readonly size: number;
  private readonly start: number;
  private readonly stride: number;
  private readonly view: (at: number) => T;

  constructor(start: number, size: number, stride: number, view: (at: number) => T) {
    this.start = start;
    this.size = size;
    this.stride = stride;
    this.view = view;
  }

  /** Element `index`. @throws RangeError unless `0 <= index < size` */
  get(index: number): T {
    checkIndex(index, this.size);
    return this.view(this.start + index * this.stride);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.size; i++) {
      yield this.get(i);
    }
  }
}

/** `offset` rounded up to a multiple of `alignment` (a power of two). */
export function align(offset: number, alignment: number): number {
  return Math.ceil(offset / alignment) * alignment;
}

const INITIAL_CAPACITY = 256;
/** The most bytes a message may have, as in Java, with room for the padding after its last part. */
const MAX_MESSAGE = 0x7fffffff - 8;

/**
 * Writes one message: header and block, then slices, in one growing array; the string table in another,
 * appended by `finish`. Produces the same bytes as the Java `TeleportBuffer` for the same values.
 */
export class TeleportWriter {
  private bytes = new Uint8Array(INITIAL_CAPACITY);
  private view = new DataView(this.bytes.buffer);
  private length = 0;
  private table = new Uint8Array(INITIAL_CAPACITY);
  private tableLength = 0;

  /**
   * Starts a message: the header and a zeroed root block of `blockLength` bytes, padded to 8 so that slices
   * start aligned.
   *
   * @returns the position of the root block
   */
  beginMessage(schemaId: number, templateId: number, version: number, blockLength: number): number {
    this.length = 0;
    this.tableLength = 0;
    this.grow(HEADER_SIZE + align(blockLength, 8));
    this.view.setUint16(BLOCK_LENGTH_OFFSET, blockLength, true);
    this.view.setUint16(TEMPLATE_ID_OFFSET, templateId, true);
    this.view.setUint16(SCHEMA_ID_OFFSET, schemaId, true);
    this.view.setUint16(VERSION_OFFSET, version, true);
    return HEADER_SIZE;
  }

  putBoolean(at: number, value: boolean): void {
    this.bytes[at] = value ? 1 : 0;
  }

  putByte(at: number, value: number): void {
    this.view.setInt8(at, value);
  }

  putShort(at: number, value: number): void {
    this.view.setInt16(at, value, true);
  }

  /** A Java `char`: the first UTF-16 code unit of `value` (a string of length 1). */
  putChar(at: number, value: string): void {
    this.view.setUint16(at, charCode(value), true);
  }

  putInt(at: number, value: number): void {
    this.view.setInt32(at, value, true);
  }

  putLong(at: number, value: bigint): void {
    this.view.setBigInt64(at, value, true);
  }

  putFloat(at: number, value: number): void {
    this.view.setFloat32(at, value, true);
  }

  putDouble(at: number, value: number): void {
    this.view.setFloat64(at, value, true);
  }

  /** An enum constant's ordinal in `width` bytes (1, 2 or 4). */
  putEnum(at: number, width: number, ordinal: number): void {
    switch (width) {
      case 1:
        this.bytes[at] = ordinal;
        break;
      case 2:
        this.view.setUint16(at, ordinal, true);
        break;
      default:
        this.view.setUint32(at, ordinal, true);
    }
  }

  /**
   * Appends `value` as UTF-8 to the string table and writes its reference at `refAt`; null gets the
   * reference (NULL_STRING, 0). A lone surrogate, which UTF-8 cannot hold, is written as `?`, as in Java.
   */
  writeString(refAt: number, value: string | null | undefined): void {
    if (value === null || value === undefined) {
      this.putReference(refAt, NULL_STRING, 0);
      return;
    }
    const text = replaceLoneSurrogates(value);
    // UTF-8 takes at most three bytes per UTF-16 code unit.
    this.ensureTable(3 * text.length);
    const { written } = encoder.encodeInto(text, this.table.subarray(this.tableLength));
    this.putReference(refAt, this.tableLength, written);
    this.tableLength += written;
  }

  /**
   * Appends a zeroed slice of `count` elements of `elementSize` bytes, aligned to `elementAlignment`, and
   * writes its reference (offset from the message start, count) at `refAt`.
   *
   * @returns the position of the first element, for the caller to fill
   */
  writeSlice(refAt: number, count: number, elementSize: number, elementAlignment: number): number {
    const start = align(this.length, elementAlignment);
    const end = start + count * elementSize;
    if (end + this.tableLength > MAX_MESSAGE) {
      throw new RangeError(`a slice of ${count} elements of ${elementSize} bytes does not fit in a message`);
    }
    this.grow(end - this.length);
    this.putReference(refAt, start, count);
    return start;
  }

  /** A `byte[]` slice; null is written as empty. */
  writeBytes(refAt: number, values: Uint8Array | null | undefined): void {
    const count = values?.length ?? 0;
    const start = this.writeSlice(refAt, count, 1, 1);
    if (values && count > 0) {
      this.bytes.set(values, start);
    }
  }

  writeBooleans(refAt: number, values: ArrayLike<boolean> | null | undefined): void {
    this.writeElements(refAt, values, 1, (at, value) => this.putBoolean(at, value));
  }

  writeShorts(refAt: number, values: ArrayLike<number> | null | undefined): void {
    this.writeElements(refAt, values, 2, (at, value) => this.putShort(at, value));
  }

  /** A `char[]` slice from the UTF-16 code units of `values`. */
  writeChars(refAt: number, values: string | null | undefined): void {
    const count = values?.length ?? 0;
    const start = this.writeSlice(refAt, count, 2, 2);
    for (let i = 0; i < count; i++) {
      this.view.setUint16(start + 2 * i, (values as string).charCodeAt(i), true);
    }
  }

  writeInts(refAt: number, values: ArrayLike<number> | null | undefined): void {
    this.writeElements(refAt, values, 4, (at, value) => this.putInt(at, value));
  }

  writeFloats(refAt: number, values: ArrayLike<number> | null | undefined): void {
    this.writeElements(refAt, values, 4, (at, value) => this.putFloat(at, value));
  }

  writeLongs(refAt: number, values: ArrayLike<bigint> | null | undefined): void {
    this.writeElements(refAt, values, 8, (at, value) => this.putLong(at, value));
  }

  writeDoubles(refAt: number, values: ArrayLike<number> | null | undefined): void {
    this.writeElements(refAt, values, 8, (at, value) => this.putDouble(at, value));
  }

  /** Appends the string table, completes the header and returns the message, a copy of exactly its size. */
  finish(): Uint8Array {
    this.view.setUint32(STRING_TABLE_OFFSET, this.length, true);
    this.view.setUint32(MESSAGE_LENGTH_OFFSET, this.length + this.tableLength, true);
    const message = new Uint8Array(this.length + this.tableLength);
    message.set(this.bytes.subarray(0, this.length));
    message.set(this.table.subarray(0, this.tableLength), this.length);
    return message;
  }

  /**
   * A slice of `values.length` blocks `stride` apart (null is written empty), each filled by `writeBlock`.
   *
   * @throws TypeError naming `field` when an element is null
   */
  writeList<T>(refAt: number, values: readonly T[] | null | undefined, stride: number, alignment: number,
               field: string, writeBlock: (at: number, value: T) => void): void {
    const count = values?.length ?? 0;
    const start = this.writeSlice(refAt, count, stride, alignment);
    for (let i = 0; i < count; i++) {
      writeBlock(start + i * stride, required((values as readonly T[])[i], `${field} has a null element`));
    }
  }

  private writeElements<T>(refAt: number, values: ArrayLike<T> | null | undefined, size: number,
                           put: (at: number, value: T) => void): void {
    const count = values?.length ?? 0;
    const start = this.writeSlice(refAt, count, size, size);
    for (let i = 0; i < count; i++) {
      put(start + size * i, (values as ArrayLike<T>)[i]);
    }
  }

  private putReference(refAt: number, offset: number, count: number): void {
    this.view.setUint32(refAt, offset, true);
    this.view.setUint32(refAt + 4, count, true);
  }

  /** Appends `more` zeroed bytes to the message, growing the array when needed. */
  private grow(more: number): void {
    const needed = this.length + more;
    if (needed > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(needed, 2 * this.bytes.length));
      bigger.set(this.bytes.subarray(0, this.length));
      this.bytes = bigger;
      this.view = new DataView(bigger.buffer);
    } else {
      this.bytes.fill(0, this.length, needed);
    }
    this.length = needed;
  }

  /** Room for `more` bytes after the string table's end. */
  private ensureTable(more: number): void {
    if (this.length + this.tableLength + more > MAX_MESSAGE) {
      throw new RangeError(`a string of up to ${more} bytes does not fit in a message`);
    }
    if (this.tableLength + more > this.table.length) {
      const bigger = new Uint8Array(Math.max(this.tableLength + more, 2 * this.table.length));
      bigger.set(this.table.subarray(0, this.tableLength));
      this.table = bigger;
    }
  }
}

/** The code unit a Java `char` component stores; refuses anything but a string of one UTF-16 code unit. */
function charCode(value: string): number {
  if (typeof value !== "string" || value.length !== 1) {
    throw new TypeError("a char component needs a string of one UTF-16 code unit, not "
        + JSON.stringify(value));
  }
  return value.charCodeAt(0);
}

/** `value` with each unpaired surrogate replaced by `?`, which is what Java's UTF-8 encoder writes for it. */
function replaceLoneSurrogates(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "?");
}

/** `value`, which a writer cannot store as null. @throws TypeError with `message` when it is null */
export function required<T>(value: T | null | undefined, message: string): T {
  if (value === null || value === undefined) {
    throw new TypeError(message);
  }
  return value;
}

/**
 * The ordinal of the enum constant `value` among `constants`.
 *
 * @throws TypeError naming `field` when it is null or not one of them
 */
export function ordinal<T>(constants: readonly T[], value: T | null | undefined, field: string): number {
  const index = constants.indexOf(required(value, `${field} is null; enum components cannot be null`));
  if (index < 0) {
    throw new TypeError(`${field}: ${JSON.stringify(value)} is not one of ${constants.join(", ")}`);
  }
  return index;
}
