package dev.dxreactor.cim;

import java.io.Serial;

/**
 * Thrown by a hook or an application to answer with {@code status} and {@code message} (sent to the
 * client, so keep internals out of it). Not logged as a failure.
 */
public class CimException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final CimStatus status;

    public CimException(CimStatus status, String message) {
        super(message, null, false, false);
        if (status.isSuccess()) {
            throw new IllegalArgumentException(status + " is not an error status");
        }
        this.status = status;
    }

    public CimStatus status() {
        return status;
    }
}
