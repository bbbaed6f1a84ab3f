package dev.dxreactor.cim;

import dev.dxreactor.cim.chains.CorsChainHandler;
import dev.dxreactor.cim.middleware.CorsConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** What the fused chain's CORS middleware writes, header by header, as names and values go on the wire. */
class CorsHeadersTest {

    private static final List<String> ORIGINS = List.of("https://a.example", "https://b.example:8443",
            "http://localhost:3000");

    private static EmbeddedChannel channel(CorsConfig cors) {
        CimConfig config = CimConfig.builder().cors(cors).nanoClock(() -> 5_000).build();
        return new EmbeddedChannel(new CorsChainHandler(config, (context, request) -> {
            FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
                    Unpooled.EMPTY_BUFFER);
            // Set by the application; CORS replaces both.
            response.headers().set("Vary", "Accept-Encoding").set("access-control-allow-origin", "*");
            return CompletableFuture.completedFuture(response);
        }));
    }

    private static List<String> exchange(EmbeddedChannel channel, HttpMethod method, String origin) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/items",
                Unpooled.EMPTY_BUFFER);
        if (origin != null) {
            request.headers().set("Origin", origin);
        }
        if (method == HttpMethod.OPTIONS) {
            request.headers().set("Access-Control-Request-Method", "PUT");
        }
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        try {
            List<String> lines = new ArrayList<>();
            lines.add(Integer.toString(response.status().code()));
            for (Map.Entry<String, String> h : response.headers()) {
                lines.add(h.getKey() + ": " + h.getValue());
            }
            return lines;
        } finally {
            response.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void eachAllowedOriginIsEchoedAsItsOwn(int index) {
        String origin = ORIGINS.get(index);
        EmbeddedChannel channel = channel(CorsConfig.defaults());

        assertThat(exchange(channel, HttpMethod.GET, origin)).containsExactly("200",
                "Access-Control-Allow-Origin: " + origin, "Vary: Origin", "X-Response-Time: 0us",
                "content-length: 0");
        assertThat(CorsChainHandler.allowedOriginIndex(origin)).isEqualTo(index);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void thePolicyListsTheAnnotationsOriginsInOrder() {
        assertThat(CorsChainHandler.ORIGIN_POLICY.origins()).isEqualTo(ORIGINS);
        assertThat(CorsChainHandler.ORIGIN_POLICY.allows("https://a.example")).isTrue();
        assertThat(CorsChainHandler.ORIGIN_POLICY.allows("https://A.example")).isFalse();
        assertThat(CorsChainHandler.isAllowedOrigin("https://b.example")).isFalse();
        assertThat(CorsChainHandler.allowedOriginIndex("https://c.example")).isEqualTo(-1);
    }

    @Test
    void credentialsAreAllowedOnlyWhenConfigured() {
        CorsConfig withCredentials = new CorsConfig(List.of("GET"), List.of(), Duration.ZERO, true);
        EmbeddedChannel channel = channel(withCredentials);

        assertThat(exchange(channel, HttpMethod.GET, "https://b.example:8443")).containsExactly("200",
                "Access-Control-Allow-Origin: https://b.example:8443", "Vary: Origin",
                "Access-Control-Allow-Credentials: true", "X-Response-Time: 0us", "content-length: 0");
        channel.finishAndReleaseAll();
    }

    @Test
    void aPreflightIsAnsweredWithTheConfiguredMethodsHeadersAndMaxAge() {
        EmbeddedChannel channel = channel(CorsConfig.defaults());

        assertThat(exchange(channel, HttpMethod.OPTIONS, "http://localhost:3000")).containsExactly("204",
                "Access-Control-Allow-Methods: GET, POST, PUT, DELETE, PATCH",
                "Access-Control-Allow-Headers: Authorization, Content-Type", "Access-Control-Max-Age: 600",
                "Access-Control-Allow-Origin: http://localhost:3000", "Vary: Origin", "X-Response-Time: 0us",
                "content-length: 0");
        channel.finishAndReleaseAll();
    }

    @Test
    void aForeignOriginIsRefusedWithoutOriginHeadersAndNoOriginPassesUntouched() {
        EmbeddedChannel channel = channel(CorsConfig.defaults());

        List<String> refused = exchange(channel, HttpMethod.GET, "https://evil.example");
        assertThat(refused.get(0)).isEqualTo("403");
        assertThat(refused).noneMatch(h -> h.startsWith("Access-Control") || h.startsWith("Vary"));
        assertThat(exchange(channel, HttpMethod.GET, null)).containsExactly("200", "Vary: Accept-Encoding",
                "access-control-allow-origin: *", "X-Response-Time: 0us", "content-length: 0");
        channel.finishAndReleaseAll();
    }
}
