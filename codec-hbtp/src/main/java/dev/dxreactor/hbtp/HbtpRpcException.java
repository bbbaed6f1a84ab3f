package dev.dxreactor.hbtp;

import java.io.Serial;

/**
 * An RPC answered with RPC_ERROR: thrown by handlers to choose the status, and what a client's call future
 * fails with when the server answers with an error.
 */
public class HbtpRpcException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status  one of {@link HbtpStatus}, not {@code OK}
     * @param message sent to the peer: keep internals out of it
     */
    public HbtpRpcException(int status, String message) {
        super(message);
        if (status == HbtpStatus.OK || status < 0 || status > 0xFFFF) {
            throw new IllegalArgumentException("status " + status + " cannot be sent in RPC_ERROR");
        }
        this.status = status;
    }

    public int status() {
        return status;
    }

    @Override
    public String toString() {
        return "HbtpRpcException(" + HbtpStatus.name(status) + ": " + getMessage() + ")";
    }
}
