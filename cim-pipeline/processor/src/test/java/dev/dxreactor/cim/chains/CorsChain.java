package dev.dxreactor.cim.chains;

import dev.dxreactor.cim.MiddlewareChain;
import dev.dxreactor.cim.middleware.CorsMiddleware;
import dev.dxreactor.cim.middleware.TimingMiddleware;

/** Several allowed origins, so that each must be answered with its own. */
@MiddlewareChain(value = {TimingMiddleware.class, CorsMiddleware.class},
        allowedOrigins = {"https://a.example", "https://b.example:8443", "http://localhost:3000"})
public interface CorsChain {
}
