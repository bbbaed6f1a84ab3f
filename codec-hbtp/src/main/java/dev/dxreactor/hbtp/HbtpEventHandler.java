package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;

/**
 * Receives a CLIENT_EVENT on the event loop. The payload is released after the method returns; retain it to
 * keep it. An exception is logged and the connection stays open.
 */
@FunctionalInterface
public interface HbtpEventHandler {
    void onEvent(HbtpServerSession session, int event, ByteBuf payload) throws Exception;
}
