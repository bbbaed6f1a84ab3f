package dev.dxreactor.benchmarks.cim;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The requests the variants are sent: the measured one, a browser's {@code GET} from the allowed origin with
 * the API key, and the variations the checks use to walk every branch of the chain. Each is new, with a
 * reference-counted (empty) body, so that a check can see that the handler released it.
 */
final class BenchRequests {

    static final String FOREIGN_ORIGIN = "https://evil.example.net";

    private BenchRequests() {
    }

    /** The measured request: key and allowed origin, answered by the application with the origin headers. */
    static FullHttpRequest api() {
        return request(HttpMethod.GET, ChainRules.API_KEY, ChainRules.ALLOWED_ORIGIN);
    }

    /** Not from a browser: no {@code Origin}, so no CORS work beyond the lookup. */
    static FullHttpRequest withoutOrigin() {
        return request(HttpMethod.GET, ChainRules.API_KEY, null);
    }

    static FullHttpRequest wrongKey() {
        return request(HttpMethod.GET, "not-" + ChainRules.API_KEY, ChainRules.ALLOWED_ORIGIN);
    }

    static FullHttpRequest foreignOrigin() {
        return request(HttpMethod.GET, ChainRules.API_KEY, FOREIGN_ORIGIN);
    }

    /** A CORS preflight from the allowed origin (carrying the key, which the chain checks first). */
    static FullHttpRequest preflight() {
        FullHttpRequest request = request(HttpMethod.OPTIONS, ChainRules.API_KEY, ChainRules.ALLOWED_ORIGIN);
        request.headers().set(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD, "POST");
        return request;
    }

    private static FullHttpRequest request(HttpMethod method, String apiKey, String origin) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/api/items?limit=20",
                Unpooled.buffer(0));
        HttpHeaders headers = request.headers();
        headers.set(HttpHeaderNames.HOST, "api.example.com")
                .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
                .set(ChainRules.API_KEY_HEADER, apiKey);
        if (origin != null) {
            headers.set(HttpHeaderNames.ORIGIN, origin);
        }
        return request;
    }
}
