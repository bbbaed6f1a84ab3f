package dev.dxreactor.cim.middleware;

import dev.dxreactor.cim.CimConfig;
import dev.dxreactor.cim.CimRequest;
import dev.dxreactor.cim.CimResponse;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.cim.ContextKey;
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

    /** The allowed origin the before matched, so the after neither looks it up nor matches it again. */
    private static final ContextKey<String> ALLOWED_ORIGIN = ContextKey.of("cors-allowed-origin");

    private final OriginPolicy origins;
    private final String allowMethods;
    private final String allowHeaders;
    private final String maxAgeSeconds;
    private final boolean allowCredentials;

    public CorsMiddleware(CimConfig config, OriginPolicy origins) {
        this.origins = origins;
        CorsConfig cors = config.cors();
        this.allowMethods = String.join(", ", cors.allowedMethods());
        this.allowHeaders = String.join(", ", cors.allowedHeaders());
        this.maxAgeSeconds = Long.toString(cors.maxAge().toSeconds());
        this.allowCredentials = cors.allowCredentials();
    }

    @Override
    public CimResponse before(MiddlewareContext context, CimRequest request) {
        String origin = request.origin();
        if (origin == null) {
            return null;
        }
        if (!origins.allows(origin)) {
            return request.reply(CimStatus.PERMISSION_DENIED, "origin not allowed");
        }
        context.put(ALLOWED_ORIGIN, origin);
        if (request.isPreflight()) {
            return request.reply(CimStatus.NO_CONTENT, null)
                    .header("Access-Control-Allow-Methods", allowMethods)
                    .header("Access-Control-Allow-Headers", allowHeaders)
                    .header("Access-Control-Max-Age", maxAgeSeconds);
        }
        return null;
    }

    @Override
    public CimResponse after(MiddlewareContext context, CimRequest request, CimResponse response) {
        String origin = context.get(ALLOWED_ORIGIN);
        if (origin != null) {
            response.header("Access-Control-Allow-Origin", origin).header("Vary", "Origin");
            if (allowCredentials) {
                response.header("Access-Control-Allow-Credentials", "true");
            }
        }
        return response;
    }
}
