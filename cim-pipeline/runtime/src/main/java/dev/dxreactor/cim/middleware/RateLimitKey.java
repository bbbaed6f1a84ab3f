package dev.dxreactor.cim.middleware;

/** What {@link RateLimitMiddleware} counts requests by. */
public enum RateLimitKey {
    /** The peer's IP address (all its connections on one event loop share a bucket). */
    REMOTE_ADDRESS,
    /**
     * The authenticated subject ({@code sub} of the JWT; put {@code AuthMiddleware} ahead in the chain);
     * requests without one are counted by remote address.
     */
    SUBJECT
}
