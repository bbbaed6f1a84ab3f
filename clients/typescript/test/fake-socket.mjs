// A WebSocket stand-in for tests that play the server themselves: it records what the client sends and
// delivers what the test makes, so that a server's misbehaviour (a version gap, a bad frame) can be staged.
import {decodeFrames, encodeFrame, encodeHello, Flag, Opcode} from '../dist/wire.js';

export class FakeSocket {
  constructor() {
    this.binaryType = 'blob';
    this.readyState = 0;
    this.sent = [];
    this.closedWith = undefined;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.({});
    });
  }

  send(data) {
    this.sent.push(...decodeFrames(new Uint8Array(data), 1 << 30));
  }

  close(code) {
    if (this.readyState === 3) {
      return;
    }
    this.readyState = 3;
    this.closedWith = code;
    queueMicrotask(() => this.onclose?.({code}));
  }

  deliver(...frames) {
    const total = frames.reduce((n, f) => n + f.length, 0);
    const message = new Uint8Array(total);
    let at = 0;
    for (const f of frames) {
      message.set(f, at);
      at += f.length;
    }
    this.onmessage?.({data: message.buffer});
  }

  /** HELLO_ACK granting {@code capabilities}. */
  ack(capabilities) {
    this.deliver(encodeFrame(Opcode.HELLO_ACK, Flag.FINAL, 0, encodeHello({
      version: 1, capabilities, maxFrameLength: 1 << 20, maxMessageLength: 16 << 20,
    })));
  }

  sentOf(opcode) {
    return this.sent.filter((f) => f.opcode === opcode);
  }
}

export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
