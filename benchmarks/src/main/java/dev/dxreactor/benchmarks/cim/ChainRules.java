package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.cim.middleware.CorsConfig;
import dev.dxreactor.cim.middleware.RateLimitConfig;
import dev.dxreactor.cim.middleware.RateLimitKey;

/**
 * What the four middlewares of the chain decide, in the words every variant shares: the API key, the one
 * allowed origin, the CORS answers, the rate limits. The fused variant gets the same values through
 * {@link BenchApiChain}, {@link ApiKeyMiddleware} and its {@code CimConfig}.
 */
final class ChainRules {

    static final String API_KEY_HEADER = "X-Api-Key";
    static final String API_KEY = "bench-key-5f1c2a";
    static final String API_KEY_REFUSED = "missing or wrong API key";

    /** The origin of {@link BenchApiChain#allowedOrigins} (an annotation needs the literal itself). */
    static final String ALLOWED_ORIGIN = "https://app.example.com";
    static final String ORIGIN_REFUSED = "origin not allowed";

    /** The header names and values {@code CorsMiddleware} and {@code TimingMiddleware} write. */
    static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
    static final String VARY = "Vary";
    static final String ALLOW_METHODS = "Access-Control-Allow-Methods";
    static final String ALLOW_HEADERS = "Access-Control-Allow-Headers";
    static final String MAX_AGE = "Access-Control-Max-Age";
    static final String RESPONSE_TIME = "X-Response-Time";
    static final String RATE_LIMITED = "rate limit exceeded";

    private static final CorsConfig CORS = CorsConfig.defaults();
    static final String ALLOW_METHODS_VALUE = String.join(", ", CORS.allowedMethods());
    static final String ALLOW_HEADERS_VALUE = String.join(", ", CORS.allowedHeaders());
    static final String MAX_AGE_VALUE = Long.toString(CORS.maxAge().toSeconds());

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

    /** Whether {@code origin} is allowed: a string switch, as the processor compiles the fused chain's. */
    static boolean isAllowedOrigin(String origin) {
        return switch (origin) {
            case ALLOWED_ORIGIN -> true;
            default -> false;
        };
    }

    /** The {@value #RESPONSE_TIME} value for {@code elapsedNanos}, as {@code TimingMiddleware} writes it. */
    static String responseTime(long elapsedNanos) {
        return (elapsedNanos / 1000) + "us";
    }

    /** The {@code Retry-After} value for a wait, as the fused chain's rate limit writes it: whole seconds, up. */
    static String retryAfterSeconds(long waitNanos) {
        long millis = waitNanos / 1_000_000;
        return Long.toString(Math.max(1, (millis + 999) / 1000));
    }
}
