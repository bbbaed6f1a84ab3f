package dev.dxreactor.hbtp;

import java.io.Serial;
import java.util.Objects;

/**
 * A client-side failure that is not an RPC error: the connection closed or could not be made, the
 * handshake failed, or a local limit was hit. {@link #category()} says which kind; without one given it is
 * {@link HbtpErrorCategory#NETWORK}.
 */
public class HbtpException extends RuntimeException implements HbtpError {

    @Serial
    private static final long serialVersionUID = 1L;

    private final HbtpErrorCategory category;
    private final boolean retryable;

    /** An error of category {@link HbtpErrorCategory#NETWORK}. */
    public HbtpException(String message) {
        this(HbtpErrorCategory.NETWORK, message, null);
    }

    /** An error of category {@link HbtpErrorCategory#NETWORK}. */
    public HbtpException(String message, Throwable cause) {
        this(HbtpErrorCategory.NETWORK, message, cause);
    }

    public HbtpException(HbtpErrorCategory category, String message) {
        this(category, message, null);
    }

    /** An error whose {@link #retryable()} is its category's rule. */
    public HbtpException(HbtpErrorCategory category, String message, Throwable cause) {
        this(category, category.retryable(), message, cause);
    }

    /** An error that says itself whether trying again can help, against its category's rule. */
    public HbtpException(HbtpErrorCategory category, boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.category = Objects.requireNonNull(category, "category");
        this.retryable = retryable;
    }

    @Override
    public HbtpErrorCategory category() {
        return category;
    }

    @Override
    public boolean retryable() {
        return retryable;
    }
}
