package dev.dxreactor.cim.chains;

import dev.dxreactor.cim.MiddlewareChain;
import dev.dxreactor.cim.middleware.AuthMiddleware;
import dev.dxreactor.cim.middleware.CorsMiddleware;
import dev.dxreactor.cim.middleware.RateLimitMiddleware;
import dev.dxreactor.cim.middleware.TimingMiddleware;

/**
 * The chain of the module README: every built-in, served over HTTP and HBTP. The rate limit comes first so
 * that requests with bad tokens are counted too; CORS answers preflights before authentication asks them for
 * credentials they never carry.
 */
@MiddlewareChain(value = {RateLimitMiddleware.class, CorsMiddleware.class, AuthMiddleware.class, TimingMiddleware.class},
        allowedOrigins = {"https://app.example.com", "http://localhost:8080"})
public interface ApiChain {
}
