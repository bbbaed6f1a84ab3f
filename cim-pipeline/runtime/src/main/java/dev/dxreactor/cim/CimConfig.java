package dev.dxreactor.cim;

import dev.dxreactor.cim.middleware.CorsConfig;
import dev.dxreactor.cim.middleware.JwtConfig;
import dev.dxreactor.cim.middleware.RateLimitConfig;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Settings of the built-in middleware and the instances every handler of a chain shares. Build one per
 * server and hand it to each generated handler; handlers made per connection with the same config share
 * their middleware (and so, for example, rate-limit state).
 *
 * <pre>{@code
 * CimConfig config = CimConfig.builder()
 *         .jwt(JwtConfig.builder().hmacKey(secret).issuer("https://id.example.com").audience("api").build())
 *         .rateLimit(RateLimitConfig.builder().permitsPerSecond(100).burst(20).build())
 *         .build();
 * }</pre>
 */
public final class CimConfig {

    private final JwtConfig jwt;
    private final RateLimitConfig rateLimit;
    private final CorsConfig cors;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<SharedKey, Object> shared = new ConcurrentHashMap<>();
    /** {@code null} without a meter registry: then no Micrometer class is loaded. */
    private final RejectionCounters rejections;

    private CimConfig(Builder b) {
        this.jwt = b.jwt;
        this.rateLimit = b.rateLimit;
        this.cors = b.cors;
        this.nanoClock = b.nanoClock;
        this.rejections = b.meterRegistry != null ? new RejectionCounters(b.meterRegistry, b.meterTags) : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** JWT settings for {@code AuthMiddleware}; {@code null} when not configured. */
    public JwtConfig jwt() {
        return jwt;
    }

    /** Rate-limit settings; {@link RateLimitConfig#defaults()} unless configured. */
    public RateLimitConfig rateLimit() {
        return rateLimit;
    }

    /** CORS response settings; {@link CorsConfig#defaults()} unless configured. */
    public CorsConfig cors() {
        return cors;
    }

    /** The clock requests are timed and rate-limited with: {@link System#nanoTime()} unless replaced. */
    public LongSupplier nanoClock() {
        return nanoClock;
    }

    /**
     * The one instance of {@code type} in {@code chain} for this config, made by {@code factory} on first use.
     * Generated handlers get their middleware here, so every connection's handler shares it.
     */
    public <M> M shared(Class<?> chain, Class<M> type, Supplier<? extends M> factory) {
        return type.cast(shared.computeIfAbsent(new SharedKey(chain, type), k -> factory.get()));
    }

    private record SharedKey(Class<?> chain, Class<?> type) {
    }

    /**
     * A before of {@code middleware} answered the request instead of passing it on: counted in
     * {@code cim.rejections} by middleware and status, unless the answer is a success (a CORS preflight's 204).
     * Generated handlers call this where a chain short-circuits, which is off the path of requests that pass;
     * without a meter registry it does nothing.
     */
    public void rejected(Class<?> middleware, CimResponse response) {
        if (rejections != null) {
            rejections.record(middleware, response.status());
        }
    }

    /** Whether a meter registry was given: see {@link Builder#meterRegistry}. */
    public boolean hasMetrics() {
        return rejections != null;
    }

    /** Collects settings; {@link #build()} checks them together. */
    public static final class Builder {

        private JwtConfig jwt;
        private RateLimitConfig rateLimit = RateLimitConfig.defaults();
        private CorsConfig cors = CorsConfig.defaults();
        private LongSupplier nanoClock = System::nanoTime;
        private MeterRegistry meterRegistry;
        private String[] meterTags = new String[0];

        private Builder() {
        }

        /**
         * Count the requests the chains' middleware refuse in {@code cim.rejections} (tags {@code middleware},
         * the class's simple name, and {@code status}, a {@link CimStatus} name), with {@code tags} as key,
         * value pairs on every counter. Without this call nothing is counted and Micrometer, an optional
         * dependency, need not be on the class path.
         */
        public Builder meterRegistry(MeterRegistry registry, String... tags) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            if (tags.length % 2 != 0) {
                throw new IllegalArgumentException("meter tags come as key, value pairs; got " + tags.length);
            }
            this.meterTags = tags.clone();
            return this;
        }

        public Builder jwt(JwtConfig jwt) {
            this.jwt = Objects.requireNonNull(jwt, "jwt");
            return this;
        }

        public Builder rateLimit(RateLimitConfig rateLimit) {
            this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
            return this;
        }

        public Builder cors(CorsConfig cors) {
            this.cors = Objects.requireNonNull(cors, "cors");
            return this;
        }

        /** Replaces the clock (tests drive rate limits with a manual one). */
        public Builder nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        public CimConfig build() {
            return new CimConfig(this);
        }
    }
}
