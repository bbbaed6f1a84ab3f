package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.CompletionStage;

/**
 * Answers a call later. Runs on the event loop and must not block; complete the stage from any thread.
 * Completing exceptionally with {@link HbtpRpcException} answers with its status. If the call is cancelled
 * or its deadline passes first and the stage is a {@link java.util.concurrent.CompletableFuture}, it is
 * cancelled; a body that arrives after that is released.
 */
@FunctionalInterface
public interface HbtpAsyncHandler {
    CompletionStage<ByteBuf> handle(HbtpCall call) throws Exception;
}
