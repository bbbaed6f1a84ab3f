package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.cim.CimConfig;
import dev.dxreactor.cim.middleware.RateLimitConfig;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The ways the benchmark serves the same requests, each as the pipeline of an {@link EmbeddedChannel} with its
 * own {@link StepClock}, rate-limit state and {@link HookTally}: the application alone, the working chain of
 * four middlewares three ways (separate handlers, fused, hand-written), and a chain of four pass-through
 * middlewares two ways (separate handlers, fused), which isolates what the chain mechanism itself costs.
 */
enum ChainVariant {

    /** The application alone: what every other variant's overhead is measured from. */
    BARE("bare", "only the application handler, no middleware", false) {
        @Override
        EmbeddedChannel open(RateLimitConfig limit, HookTally tally) {
            return new EmbeddedChannel(new ApplicationHandler());
        }
    },
    /** One ordinary Netty handler per middleware, then the application's. */
    SEPARATE("separate", "the four middlewares as four Netty handlers in front of the application handler: "
            + "`TimingHandler` (a `ChannelDuplexHandler`: starts the timer in `channelRead`, adds "
            + "`X-Response-Time` in `write`; outermost, so it times every answer, as the fused chain's "
            + "`@AlwaysAfter` timing does), `ApiKeyHandler` and `RateLimitHandler` (inbound only: their "
            + "middlewares have no after) and `CorsHandler` (a `ChannelDuplexHandler`: checks the origin in "
            + "`channelRead`, adds the origin headers in `write`)", false) {
        @Override
        EmbeddedChannel open(RateLimitConfig limit, HookTally tally) {
            StepClock clock = new StepClock();
            return new EmbeddedChannel(new TimingHandler(clock), new ApiKeyHandler(),
                    new RateLimitHandler(new LoopRateLimiter(limit), clock), new CorsHandler(),
                    new ApplicationHandler());
        }
    },
    /** The handler dx-cim's processor generated from {@link BenchApiChain}, with the built-in middlewares. */
    FUSED("fused", "`BenchApiChainHandler`, generated from `@MiddlewareChain` at compile time: one handler "
            + "calling `ApiKeyMiddleware`, `RateLimitMiddleware`, `TimingMiddleware` and `CorsMiddleware` "
            + "directly, the application as an `HttpApplication` returning a completed future", false) {
        @Override
        EmbeddedChannel open(RateLimitConfig limit, HookTally tally) {
            CimConfig config = CimConfig.builder().rateLimit(limit).nanoClock(new StepClock()).build();
            return new EmbeddedChannel(new BenchApiChainHandler(config, new BenchApplication()));
        }
    },
    /** The same work written inline in one handler. */
    HAND_WRITTEN("handWritten", "`HandWrittenHandler`: the four middlewares' work and the application inline "
            + "in one handler", false) {
        @Override
        EmbeddedChannel open(RateLimitConfig limit, HookTally tally) {
            return new EmbeddedChannel(new HandWrittenHandler(new LoopRateLimiter(limit), new StepClock()));
        }
    },
    /** Four Netty handlers that only pass messages on, in the separate handlers' shape, then the application's. */
    SEPARATE_PASS_THROUGH("separatePassThrough", "four pass-through Netty handlers in the shape of `separate`'s "
            + "in front of the application handler: a `PassThroughDuplexHandler` (passes the request on in "
            + "`channelRead` and the response on in `write`), two `PassThroughInboundHandler`s (`channelRead` "
            + "only) and another `PassThroughDuplexHandler`; each hook counts itself and does nothing else", true) {
        @Override
        EmbeddedChannel open(RateLimitConfig limit, HookTally tally) {
            return new EmbeddedChannel(new PassThroughDuplexHandler(tally), new PassThroughInboundHandler(tally),
                    new PassThroughInboundHandler(tally), new PassThroughDuplexHandler(tally),
                    new ApplicationHandler());
        }
    },
    /** The handler dx-cim's processor generated from {@link BenchPassThroughChain}. */
    FUSED_PASS_THROUGH("fusedPassThrough", "`BenchPassThroughChainHandler`, generated from `@MiddlewareChain` at "
            + "compile time from four pass-through middlewares (befores that continue, two afters that return "
            + "the response; each hook counts itself and does nothing else), the application as `fused`'s", true) {
        @Override
        EmbeddedChannel open(RateLimitConfig limit, HookTally tally) {
            // No rate limit in this chain; the clock is the one the exchange reads a request's arrival from.
            CimConfig config = CimConfig.builder().nanoClock(new StepClock()).build();
            // The middlewares take the chain's tally from the config: this one, made first.
            config.shared(BenchPassThroughChain.class, HookTally.class, () -> tally);
            return new EmbeddedChannel(new BenchPassThroughChainHandler(config, new BenchApplication()));
        }
    };

    private final String method;
    private final String description;
    private final boolean passThrough;

    ChainVariant(String method, String description, boolean passThrough) {
        this.method = method;
        this.description = description;
        this.passThrough = passThrough;
    }

    /**
     * A new channel serving requests this way, rate-limited by {@code limit} (where the variant has a rate
     * limit), its pass-through hooks counting into {@code tally} (where it has them).
     */
    abstract EmbeddedChannel open(RateLimitConfig limit, HookTally tally);

    /** A new channel serving requests this way, rate-limited by {@code limit}, with a tally of its own. */
    EmbeddedChannel open(RateLimitConfig limit) {
        return open(limit, new HookTally());
    }

    /** Whether its middlewares only pass requests and responses on, answering as {@link #BARE} does. */
    boolean passThrough() {
        return passThrough;
    }

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
