package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.CompletionStage;

/**
 * Answers a call later. Runs on the event loop and must not block; complete the stage from any thread.
 * Completing exceptionally with {@link HbtpRpcException} answers with its status. If the client cancels,
 * the deadline passes or the connection closes first, {@link HbtpCall#isCancelled()} turns true and the
 * client is answered at once; the stage is not cancelled (a cancelled stage would lose a body completed
 * into it later), and whatever it completes with is released.
 */
@FunctionalInterface
public interface HbtpAsyncHandler {
    CompletionStage<ByteBuf> handle(HbtpCall call) throws Exception;
}
