// Frames and metadata blocks as a hostile server could send them: every bad header is refused with its close
// code before anything of the frame is kept.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
  CloseCode, decodeFrames, decodeMetadata, encodeFrame, encodeMessage, encodeMetadata, Flag, Opcode, ProtocolViolation,
} from '../dist/wire.js';

const violation = (code) => (e) => e instanceof ProtocolViolation && e.code === code;

test('a frame round-trips, several frames share one message', () => {
  const a = encodeFrame(Opcode.RPC_RESPONSE, Flag.FINAL, 7, new Uint8Array([1, 2, 3]));
  const b = encodeFrame(Opcode.SERVER_EVENT, Flag.FINAL, 0, new Uint8Array([9]));
  const both = new Uint8Array([...a, ...b]);
  const frames = decodeFrames(both, 1024);
  assert.equal(frames.length, 2);
  assert.deepEqual([frames[0].opcode, frames[0].flags, frames[0].sequence, [...frames[0].payload]],
    [Opcode.RPC_RESPONSE, Flag.FINAL, 7, [1, 2, 3]]);
  assert.deepEqual([...frames[1].payload], [9]);
});

test('the header is little-endian as the spec says', () => {
  const f = encodeFrame(0x30, 0x0c, 0x0102, new Uint8Array(0x0304));
  assert.deepEqual([...f.subarray(0, 8)], [0x30, 0x0c, 0x02, 0x01, 0x04, 0x03, 0x00, 0x00]);
});

test('a message ending inside a frame or a header is refused (1002)', () => {
  const f = encodeFrame(Opcode.RPC_RESPONSE, Flag.FINAL, 1, new Uint8Array(10));
  assert.throws(() => decodeFrames(f.subarray(0, 12), 1024), violation(CloseCode.PROTOCOL_ERROR));
  assert.throws(() => decodeFrames(f.subarray(0, 5), 1024), violation(CloseCode.PROTOCOL_ERROR));
});

test('reserved flags (1002), unknown opcodes (1003) and oversized frames (1009) are refused by their header', () => {
  const header = (opcode, flags, length) => {
    const h = new Uint8Array(8);
    const v = new DataView(h.buffer);
    v.setUint8(0, opcode);
    v.setUint8(1, flags);
    v.setUint32(4, length, true);
    return h;
  };
  assert.throws(() => decodeFrames(header(Opcode.PING, Flag.FINAL | 0x40, 0), 1024), violation(CloseCode.PROTOCOL_ERROR));
  assert.throws(() => decodeFrames(header(0x7f, Flag.FINAL, 0), 1024), violation(CloseCode.UNSUPPORTED));
  // Claims 4 GiB: refused from the header alone, nothing allocated for it.
  assert.throws(() => decodeFrames(header(Opcode.RPC_RESPONSE, Flag.FINAL, 0xffffffff), 1024), violation(CloseCode.TOO_LARGE));
});

test('a message is split into frames of the peer maximum, FINAL on the last only', () => {
  const body = new Uint8Array(2500).map((_, i) => i & 0xff);
  const frames = encodeMessage(Opcode.RPC_CALL, Flag.FINAL | Flag.EXPECTS_RESPONSE, 5, body, 1000);
  assert.equal(frames.length, 3);
  const decoded = frames.flatMap((f) => decodeFrames(f, 1000));
  assert.deepEqual(decoded.map((f) => f.flags & Flag.FINAL), [0, 0, Flag.FINAL]);
  assert.ok(decoded.every((f) => (f.flags & Flag.EXPECTS_RESPONSE) && f.sequence === 5));
  assert.deepEqual(Buffer.concat(decoded.map((f) => f.payload)), Buffer.from(body));
});

test('metadata round-trips and a hostile block is refused', () => {
  const block = encodeMetadata({'trace-id': 'abc', bin: new Uint8Array([0, 255])});
  const {metadata, rest} = decodeMetadata(new Uint8Array([...block, 42]));
  assert.equal(metadata.text('trace-id'), 'abc');
  assert.deepEqual([...metadata.get('bin')], [0, 255]);
  assert.deepEqual([...rest], [42]);
  // Claims two entries, holds one; then a value longer than the block.
  assert.throws(() => decodeMetadata(new Uint8Array([2, 0, 1, 0x61, 0, 0])), violation(CloseCode.PROTOCOL_ERROR));
  assert.throws(() => decodeMetadata(new Uint8Array([1, 0, 1, 0x61, 0xff, 0xff, 1])), violation(CloseCode.PROTOCOL_ERROR));
  assert.throws(() => encodeMetadata({'': 'x'}), RangeError);
  assert.throws(() => encodeMetadata({big: new Uint8Array(9000)}), RangeError);
});
