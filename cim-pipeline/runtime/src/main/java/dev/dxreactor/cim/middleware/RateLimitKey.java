package dev.dxreactor.cim.middleware;

/** What {@link RateLimitMiddleware} counts requests by. */
public enum RateLimitKey {
    /**
     * The peer's network (all its connections on one event loop share a bucket): an IPv4 address, or the /64
     * of an IPv6 address, the block one host or site commonly has to itself and can pick addresses from at
     * will. An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) counts as its IPv4 address.
     */
    REMOTE_ADDRESS,
    /**
     * The authenticated subject ({@code sub} of the JWT; put {@code AuthMiddleware} ahead in the chain);
     * requests without one are counted by remote address. With the rate limit after authentication, requests
     * with bad tokens are refused by {@code AuthMiddleware} without being counted at all; put the limit first,
     * by {@link #REMOTE_ADDRESS}, when token floods must be limited too.
     */
    SUBJECT
}
