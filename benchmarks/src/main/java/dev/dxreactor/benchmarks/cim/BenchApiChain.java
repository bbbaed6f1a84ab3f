package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.cim.MiddlewareChain;
import dev.dxreactor.cim.middleware.CorsMiddleware;
import dev.dxreactor.cim.middleware.RateLimitMiddleware;
import dev.dxreactor.cim.middleware.TimingMiddleware;

/**
 * The measured chain; dx-cim's processor generates {@code BenchApiChainHandler}, the fused variant, from it
 * when the module compiles. {@code TimingMiddleware} is {@code @AlwaysAfter}: it times the whole chain, as
 * the outermost of the separate handlers does.
 */
@MiddlewareChain(value = {ApiKeyMiddleware.class, RateLimitMiddleware.class, TimingMiddleware.class,
        CorsMiddleware.class}, allowedOrigins = ChainRules.ALLOWED_ORIGIN)
interface BenchApiChain {
}
