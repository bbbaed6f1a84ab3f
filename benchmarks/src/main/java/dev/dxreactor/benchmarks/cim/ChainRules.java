package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.cim.FixedHeaders;
import dev.dxreactor.cim.middleware.CorsConfig;
import dev.dxreactor.cim.middleware.RateLimitConfig;
import dev.dxreactor.cim.middleware.RateLimitKey;
import io.netty.util.AsciiString;

/**
 * What the four middlewares of the chain decide, in the words every variant shares: the API key, the one
 * allowed origin, the CORS answers, the rate limits. The fused variant gets the same values through
 * {@link BenchApiChain}, {@link ApiKeyMiddleware} and its {@code CimConfig}.
 */
final class ChainRules {

    /**
     * Header names the variants read or write, built once as AsciiStrings: Netty hashes such a name once, not on
     * every lookup, and a decoded request's header names are AsciiStrings too.
     */
    static final AsciiString API_KEY_HEADER = AsciiString.cached("X-Api-Key");
    static final String API_KEY = "bench-key-5f1c2a";
    static final String API_KEY_REFUSED = "missing or wrong API key";

    /** The origin of {@link BenchApiChain#allowedOrigins} (an annotation needs the literal itself). */
    static final String ALLOWED_ORIGIN = "https://app.example.com";
    static final String ORIGIN_REFUSED = "origin not allowed";

    /** The header {@code TimingMiddleware} writes, named as it names it. */
    static final AsciiString RESPONSE_TIME = AsciiString.cached("X-Response-Time");
    static final String RATE_LIMITED = "rate limit exceeded";

    private static final CorsConfig CORS = CorsConfig.defaults();
    static final String ALLOW_METHODS_VALUE = String.join(", ", CORS.allowedMethods());

    /**
     * What {@code CorsMiddleware} adds to the answer to a request from the allowed origin, built and checked once
     * as it builds them, and set the way it sets them ({@link FixedHeaders#setOn}).
     */
    static final FixedHeaders ORIGIN_HEADERS = FixedHeaders.of("Access-Control-Allow-Origin", ALLOWED_ORIGIN,
            "Vary", "Origin");
    /** What {@code CorsMiddleware} answers a preflight from the allowed origin with, before the origin headers. */
    static final FixedHeaders PREFLIGHT_HEADERS = FixedHeaders.of(
            "Access-Control-Allow-Methods", ALLOW_METHODS_VALUE,
            "Access-Control-Allow-Headers", String.join(", ", CORS.allowedHeaders()),
            "Access-Control-Max-Age", Long.toString(CORS.maxAge().toSeconds()));

    /**
     * The measured limit: a rate no request stream reaches and a burst no stream drains, so every request
     * takes the allowing path (the bucket is still looked up and updated each time).
     */
    static final RateLimitConfig NEVER_REFUSING = new RateLimitConfig(1e9, 1_000_000, RateLimitKey.REMOTE_ADDRESS,
            100_000);

    /** One request a second and no burst: the second request in a row is refused (checked, never measured). */
    static final RateLimitConfig ONE_PER_SECOND = new RateLimitConfig(1, 1, RateLimitKey.REMOTE_ADDRESS, 100_000);

    private ChainRules() {
    }

    /**
     * The headers an answer to {@code origin} gets when it is allowed, {@code null} when it is not: a string
     * switch, as the processor compiles the fused chain's.
     */
    static FixedHeaders originHeaders(String origin) {
        return switch (origin) {
            case ALLOWED_ORIGIN -> ORIGIN_HEADERS;
            default -> null;
        };
    }

    /** The {@code X-Response-Time} value for {@code elapsedNanos}, as {@code TimingMiddleware} writes it. */
    static String responseTime(long elapsedNanos) {
        return (elapsedNanos / 1000) + "us";
    }

    /** The {@code Retry-After} value for a wait, as the fused chain's rate limit writes it: whole seconds, up. */
    static String retryAfterSeconds(long waitNanos) {
        long millis = waitNanos / 1_000_000;
        return Long.toString(Math.max(1, (millis + 999) / 1000));
    }
}
