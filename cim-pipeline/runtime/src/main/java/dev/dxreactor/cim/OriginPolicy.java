package dev.dxreactor.cim;

/**
 * Which {@code Origin}s a chain allows; generated from {@link MiddlewareChain#allowedOrigins()} as a
 * compiled-in switch, so nothing is looked up at run time.
 */
@FunctionalInterface
public interface OriginPolicy {

    /** Whether {@code origin} (exactly as the client sent it) is allowed. */
    boolean allows(String origin);
}
