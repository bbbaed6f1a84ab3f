package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.cim.CimConfig;
import dev.dxreactor.cim.middleware.RateLimitConfig;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The four ways the benchmark serves the same requests, each as the pipeline of an {@link EmbeddedChannel}
 * with its own {@link StepClock} and rate-limit state.
 */
enum ChainVariant {

    /** The application alone: what every other variant's overhead is measured from. */
    BARE("bare", "only the application handler, no middleware") {
        @Override
        EmbeddedChannel open(RateLimitConfig limit) {
            return new EmbeddedChannel(new ApplicationHandler());
        }
    },
    /** One ordinary Netty handler per middleware, then the application's. */
    SEPARATE("separate", "the four middlewares as four Netty handlers in front of the application handler: "
            + "`TimingHandler` (a `ChannelDuplexHandler`: starts the timer in `channelRead`, adds "
            + "`X-Response-Time` in `write`; outermost, so it times every answer, as the fused chain's "
            + "`@AlwaysAfter` timing does), `ApiKeyHandler` and `RateLimitHandler` (inbound only: their "
            + "middlewares have no after) and `CorsHandler` (a `ChannelDuplexHandler`: checks the origin in "
            + "`channelRead`, adds the origin headers in `write`)") {
        @Override
        EmbeddedChannel open(RateLimitConfig limit) {
            StepClock clock = new StepClock();
            return new EmbeddedChannel(new TimingHandler(clock), new ApiKeyHandler(),
                    new RateLimitHandler(new LoopRateLimiter(limit), clock), new CorsHandler(),
                    new ApplicationHandler());
        }
    },
    /** The handler dx-cim's processor generated from {@link BenchApiChain}, with the built-in middlewares. */
    FUSED("fused", "`BenchApiChainHandler`, generated from `@MiddlewareChain` at compile time: one handler "
            + "calling `ApiKeyMiddleware`, `RateLimitMiddleware`, `TimingMiddleware` and `CorsMiddleware` "
            + "directly, the application as an `HttpApplication` returning a completed future") {
        @Override
        EmbeddedChannel open(RateLimitConfig limit) {
            CimConfig config = CimConfig.builder().rateLimit(limit).nanoClock(new StepClock()).build();
            return new EmbeddedChannel(new BenchApiChainHandler(config, new BenchApplication()));
        }
    },
    /** The same work written inline in one handler. */
    HAND_WRITTEN("handWritten", "`HandWrittenHandler`: the four middlewares' work and the application inline "
            + "in one handler") {
        @Override
        EmbeddedChannel open(RateLimitConfig limit) {
            return new EmbeddedChannel(new HandWrittenHandler(new LoopRateLimiter(limit), new StepClock()));
        }
    };

    private final String method;
    private final String description;

    ChainVariant(String method, String description) {
        this.method = method;
        this.description = description;
    }

    /** A new channel serving requests this way, rate-limited by {@code limit}. */
    abstract EmbeddedChannel open(RateLimitConfig limit);

    /** The name of its {@link CimChainBenchmark} method. */
    String method() {
        return method;
    }

    /** What its pipeline holds, for the results file (Markdown). */
    String description() {
        return description;
    }

    static ChainVariant ofMethod(String method) {
        for (ChainVariant v : values()) {
            if (v.method.equals(method)) {
                return v;
            }
        }
        throw new IllegalArgumentException("no variant is measured by a benchmark method named " + method);
    }
}
