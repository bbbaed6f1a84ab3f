package dev.dxreactor.hbtp;

import java.io.Serial;

/**
 * A client-side failure that is not an RPC error: the connection closed or could not be made, the
 * handshake failed, or a local limit was hit.
 */
public class HbtpException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public HbtpException(String message) {
        super(message);
    }

    public HbtpException(String message, Throwable cause) {
        super(message, cause);
    }
}
