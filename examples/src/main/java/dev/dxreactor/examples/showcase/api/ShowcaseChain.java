package dev.dxreactor.examples.showcase.api;

import dev.dxreactor.cim.MiddlewareChain;
import dev.dxreactor.cim.middleware.AuthMiddleware;
import dev.dxreactor.cim.middleware.RateLimitMiddleware;
import dev.dxreactor.cim.middleware.TimingMiddleware;

/**
 * The one middleware chain of the showcase, fused at compile time into {@code ShowcaseChainHandler} and used by
 * every HBTP route and by the HTTP API alike. The rate limit comes first, keyed by address, so that a flood of
 * forged tokens is refused before any signature is checked; timing wraps every answer, refusals included.
 */
@MiddlewareChain({RateLimitMiddleware.class, AuthMiddleware.class, TimingMiddleware.class})
public interface ShowcaseChain {
}
