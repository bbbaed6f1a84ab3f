package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.cim.CimRequest;
import dev.dxreactor.cim.CimResponse;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.cim.Middleware;
import dev.dxreactor.cim.MiddlewareContext;

/**
 * Lets a request through when its {@code X-Api-Key} header holds the benchmark's key, and answers 401
 * otherwise: a header lookup and a string comparison, cheap enough that the chain's own cost stays visible
 * (JWT verification, the built-in alternative, would swamp it).
 */
public final class ApiKeyMiddleware implements Middleware<CimRequest, CimResponse> {

    @Override
    public CimResponse before(MiddlewareContext context, CimRequest request) {
        if (ChainRules.API_KEY.equals(request.header(ChainRules.API_KEY_HEADER))) {
            return null;
        }
        return request.reply(CimStatus.UNAUTHENTICATED, ChainRules.API_KEY_REFUSED);
    }
}
