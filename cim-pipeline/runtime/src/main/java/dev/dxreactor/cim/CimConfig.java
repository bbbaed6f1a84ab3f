package dev.dxreactor.cim;

import dev.dxreactor.cim.middleware.CorsConfig;
import dev.dxreactor.cim.middleware.JwtConfig;
import dev.dxreactor.cim.middleware.RateLimitConfig;

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

    private CimConfig(Builder b) {
        this.jwt = b.jwt;
        this.rateLimit = b.rateLimit;
        this.cors = b.cors;
        this.nanoClock = b.nanoClock;
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

    /** Collects settings; {@link #build()} checks them together. */
    public static final class Builder {

        private JwtConfig jwt;
        private RateLimitConfig rateLimit = RateLimitConfig.defaults();
        private CorsConfig cors = CorsConfig.defaults();
        private LongSupplier nanoClock = System::nanoTime;

        private Builder() {
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
