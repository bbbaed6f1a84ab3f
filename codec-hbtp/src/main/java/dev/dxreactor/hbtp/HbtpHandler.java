package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;

/**
 * Answers a call on the event loop (or on the offload executor when registered with
 * {@link HbtpRouter#routeBlocking}).
 *
 * <p>Return the response body; the server writes and then releases it. Return {@code null} for an empty
 * response. Throw {@link HbtpRpcException} to answer with a status; any other exception answers
 * {@code INTERNAL} with a safe message (the details are logged, not sent).
 */
@FunctionalInterface
public interface HbtpHandler {
    ByteBuf handle(HbtpCall call) throws Exception;
}
