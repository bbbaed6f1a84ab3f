package dev.dxreactor.cim.middleware;

import dev.dxreactor.cim.CimConfig;
import dev.dxreactor.cim.CimRequest;
import dev.dxreactor.cim.CimResponse;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.cim.ContextKey;
import dev.dxreactor.cim.FixedHeaders;
import dev.dxreactor.cim.Middleware;
import dev.dxreactor.cim.MiddlewareContext;
import dev.dxreactor.cim.OriginPolicy;

/**
 * Cross-origin checks against the origins compiled into the chain
 * ({@link dev.dxreactor.cim.MiddlewareChain#allowedOrigins()}):
 * <ul>
 *   <li>a request with an {@code Origin} that is not allowed: 403, nothing else runs;</li>
 *   <li>a preflight from an allowed origin: 204 with the allowed methods, headers and max age
 *       ({@link CorsConfig}), the application does not run;</li>
 *   <li>any other request from an allowed origin: the response gets {@code Access-Control-Allow-Origin} and
 *       {@code Vary: Origin};</li>
 *   <li>a request without {@code Origin} (same-origin, non-browser clients, HBTP calls) passes untouched.</li>
 * </ul>
 * For HBTP over WebSocket the same policy checks the handshake's {@code Origin}: see
 * {@link WebSocketOriginCheck}.
 */
public final class CorsMiddleware implements Middleware<CimRequest, CimResponse> {

    /** The headers for the allowed origin the before matched, so the after neither looks up nor matches it again. */
    private static final ContextKey<FixedHeaders> ORIGIN_HEADERS = ContextKey.of("cors-origin-headers");

    private final OriginPolicy origins;
    // Built once per allowed origin and checked then, rather than formatted and checked on every response.
    private final FixedHeaders[] originHeaders;
    private final FixedHeaders preflightHeaders;

    public CorsMiddleware(CimConfig config, OriginPolicy origins) {
        this.origins = origins;
        CorsConfig cors = config.cors();
        this.originHeaders = origins.origins().stream()
                .map(origin -> cors.allowCredentials()
                        ? FixedHeaders.of("Access-Control-Allow-Origin", origin, "Vary", "Origin",
                                "Access-Control-Allow-Credentials", "true")
                        : FixedHeaders.of("Access-Control-Allow-Origin", origin, "Vary", "Origin"))
                .toArray(FixedHeaders[]::new);
        this.preflightHeaders = FixedHeaders.of(
                "Access-Control-Allow-Methods", String.join(", ", cors.allowedMethods()),
                "Access-Control-Allow-Headers", String.join(", ", cors.allowedHeaders()),
                "Access-Control-Max-Age", Long.toString(cors.maxAge().toSeconds()));
    }

    @Override
    public CimResponse before(MiddlewareContext context, CimRequest request) {
        String origin = request.origin();
        if (origin == null) {
            return null;
        }
        int allowed = origins.indexOf(origin);
        if (allowed < 0) {
            return request.reply(CimStatus.PERMISSION_DENIED, "origin not allowed");
        }
        context.put(ORIGIN_HEADERS, originHeaders[allowed]);
        if (request.isPreflight()) {
            return request.reply(CimStatus.NO_CONTENT, null).headers(preflightHeaders);
        }
        return null;
    }

    @Override
    public CimResponse after(MiddlewareContext context, CimRequest request, CimResponse response) {
        FixedHeaders headers = context.get(ORIGIN_HEADERS);
        return headers == null ? response : response.headers(headers);
    }
}
