package dev.dxreactor.cim.chains;

import dev.dxreactor.cim.MiddlewareChain;
import dev.dxreactor.cim.middleware.AuthMiddleware;
import dev.dxreactor.cim.middleware.CorsMiddleware;
import dev.dxreactor.cim.middleware.RateLimitMiddleware;
import dev.dxreactor.cim.middleware.TimingMiddleware;

/** The chain of the module README: every built-in, served over HTTP and HBTP. */
@MiddlewareChain(value = {AuthMiddleware.class, RateLimitMiddleware.class, TimingMiddleware.class, CorsMiddleware.class},
        allowedOrigins = {"https://app.example.com", "http://localhost:8080"})
public interface ApiChain {
}
