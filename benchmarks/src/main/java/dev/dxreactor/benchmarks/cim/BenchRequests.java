package dev.dxreactor.benchmarks.cim;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * The requests the variants are sent: the measured one, a browser's {@code GET} from the allowed origin with
 * the API key, and the variations the checks use to walk every branch of the chain. Each is new, with a
 * reference-counted (empty) body, so that a check can see that the handler released it. Headers are held as
 * Netty's decoder holds a received request's (names as AsciiStrings, values as Strings), so that header
 * lookups cost what they cost on a real connection.
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
        add(request.headers(), "Access-Control-Request-Method", "POST");
        return request;
    }

    private static FullHttpRequest request(HttpMethod method, String apiKey, String origin) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/api/items?limit=20",
                Unpooled.buffer(0));
        HttpHeaders headers = request.headers();
        add(headers, "Host", "api.example.com");
        add(headers, "Accept", "application/json");
        add(headers, "X-Api-Key", apiKey);
        if (origin != null) {
            add(headers, "Origin", origin);
        }
        return request;
    }

    /** Adds a header as Netty's HTTP/1.1 decoder does: the name a new AsciiString as sent, the value a String. */
    private static void add(HttpHeaders headers, String name, String value) {
        headers.add(new AsciiString(name), value);
    }
}
