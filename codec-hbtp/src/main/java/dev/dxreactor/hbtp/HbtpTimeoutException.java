package dev.dxreactor.hbtp;

import java.io.Serial;
import java.util.concurrent.TimeoutException;

/**
 * A call got no answer within its timeout; the client has sent CANCEL. Still a {@link TimeoutException}, as
 * call futures failed with before categories existed.
 */
public final class HbtpTimeoutException extends TimeoutException implements HbtpError {

    @Serial
    private static final long serialVersionUID = 1L;

    public HbtpTimeoutException(String message) {
        super(message);
    }

    /** Always {@link HbtpErrorCategory#TIMEOUT}. */
    @Override
    public HbtpErrorCategory category() {
        return HbtpErrorCategory.TIMEOUT;
    }
}
