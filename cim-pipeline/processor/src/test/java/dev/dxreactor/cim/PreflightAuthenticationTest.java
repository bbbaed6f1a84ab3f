package dev.dxreactor.cim;

import dev.dxreactor.cim.chains.ApiChainHandler;
import dev.dxreactor.cim.chains.AuthWithoutCorsChainHandler;
import dev.dxreactor.cim.middleware.JwtConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request shaped like a CORS preflight skips authentication only by being answered by CorsMiddleware
 * ahead of AuthMiddleware; a chain without CORS authenticates it like any other request.
 */
class PreflightAuthenticationTest {

    private static final byte[] SECRET = "a shared secret for the preflight test, 32+ bytes".getBytes(StandardCharsets.UTF_8);

    private final AtomicInteger applicationCalls = new AtomicInteger();
    private final CimConfig config = CimConfig.builder()
            .jwt(JwtConfig.builder().hmacKey(SECRET).audience("api").build())
            .build();
    private final HttpApplication application = (context, request) -> {
        applicationCalls.incrementAndGet();
        return CompletableFuture.completedFuture(new DefaultFullHttpResponse(request.protocolVersion(),
                HttpResponseStatus.OK, Unpooled.copiedBuffer("the data", StandardCharsets.UTF_8)));
    };

    /** Status and body of the answer to {@code request}. */
    private static String exchange(ChannelHandler chain, FullHttpRequest request) {
        EmbeddedChannel channel = new EmbeddedChannel(chain);
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        try {
            return response.status().code() + " " + response.content().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    private static FullHttpRequest preflight(String origin) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.OPTIONS, "/items",
                Unpooled.EMPTY_BUFFER);
        request.headers().set("Origin", origin).set("Access-Control-Request-Method", "DELETE");
        return request;
    }

    @Test
    void aChainWithoutCorsRefusesAPreflightShapedRequestWithoutAToken() {
        AuthWithoutCorsChainHandler chain = new AuthWithoutCorsChainHandler(config, application);
        String unauthenticated = exchange(chain, new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                "/items", Unpooled.EMPTY_BUFFER));

        assertThat(exchange(chain, preflight("https://evil.example"))).isEqualTo("401 unauthenticated")
                .isEqualTo(unauthenticated);
        assertThat(applicationCalls).hasValue(0);
    }

    @Test
    void aChainWithCorsBeforeAuthAnswersRealPreflightsWithoutAToken() {
        ApiChainHandler chain = new ApiChainHandler(config, application);

        assertThat(exchange(chain, preflight("https://app.example.com"))).isEqualTo("204 ");
        assertThat(exchange(chain, preflight("https://evil.example"))).isEqualTo("403 origin not allowed");
        assertThat(applicationCalls).hasValue(0);
    }
}
