package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;

/**
 * Takes the answer of a call made with {@link HbtpClient#call(int, int, HbtpClient.BodyWriter, HbtpResponseHandler)}:
 * exactly one of its methods is called once, on the connection's event loop (or, when the call could not reach
 * the loop at all, on the calling thread). No future is made for the call, which saves its allocation and its
 * completion machinery when calls are made by the million; use the future-returning calls for cancelling, waiting,
 * composing or the response metadata.
 */
public interface HbtpResponseHandler {

    /** The answer's body, which the handler owns from now on (it releases it). */
    void onResponse(ByteBuf body);

    /**
     * The call failed: {@link HbtpRpcException} (the server answered RPC_ERROR), {@link HbtpTimeoutException}
     * (no answer within the call timeout; CANCEL was sent) or {@link HbtpException} (the connection closed, too many
     * calls in flight).
     */
    void onFailure(Throwable error);
}
