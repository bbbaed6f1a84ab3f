package dev.dxreactor.hbtp;

/**
 * What every HBTP exception tells beyond its message: its {@link HbtpErrorCategory} and whether trying again
 * can help. Implemented by {@link HbtpException}, {@link HbtpRpcException}, {@link HbtpTimeoutException} and
 * {@link HbtpProtocolException}, which keep their own superclasses; catch {@code Exception} and test for this
 * interface, or use {@link HbtpErrorCategory#of(Throwable)}.
 */
public interface HbtpError {

    HbtpErrorCategory category();

    /**
     * Whether trying again later can succeed; by default the category's rule. Not a promise that repeating
     * the call is safe: see {@link HbtpErrorCategory#retryable()}.
     */
    default boolean retryable() {
        return category().retryable();
    }
}
