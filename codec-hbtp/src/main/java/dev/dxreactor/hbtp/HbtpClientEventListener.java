package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;

/** Receives a SERVER_EVENT on the client's event loop; the payload is released after the call. */
@FunctionalInterface
public interface HbtpClientEventListener {
    void onEvent(int event, ByteBuf payload);
}
