package dev.dxreactor.cim.chains;

import dev.dxreactor.cim.MiddlewareChain;
import dev.dxreactor.cim.middleware.AuthMiddleware;
import dev.dxreactor.cim.middleware.RateLimitMiddleware;
import dev.dxreactor.cim.middleware.TimingMiddleware;

/** An API no browser calls across origins: authentication and no CORS, so nothing answers preflights. */
@MiddlewareChain({RateLimitMiddleware.class, AuthMiddleware.class, TimingMiddleware.class})
public interface AuthWithoutCorsChain {
}
