package dev.dxreactor.cim.middleware;

import dev.dxreactor.cim.OriginPolicy;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The WebSocket handshake of HBTP-over-WebSocket gets the same origin policy as the chain. */
class WebSocketOriginCheckTest {

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new WebSocketOriginCheck(OriginPolicy.of("https://app.example.com")));
    }

    private static FullHttpRequest handshake(String origin) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/hbtp",
                Unpooled.EMPTY_BUFFER);
        request.headers().set("Upgrade", "websocket").set("Connection", "Upgrade");
        if (origin != null) {
            request.headers().set("Origin", origin);
        }
        return request;
    }

    @Test
    void aHandshakeFromAForeignOriginIsRefusedAndClosed() {
        EmbeddedChannel channel = channel();
        assertThat(channel.writeInbound(handshake("https://evil.example"))).isFalse();
        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(403);
        response.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void allowedOrNonBrowserHandshakesAndOtherRequestsPassOn() {
        EmbeddedChannel channel = channel();
        assertThat(channel.writeInbound(handshake("https://app.example.com"))).isTrue();
        assertThat(channel.writeInbound(handshake(null))).isTrue();
        FullHttpRequest plain = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/items",
                Unpooled.EMPTY_BUFFER);
        plain.headers().set("Origin", "https://evil.example");
        assertThat(channel.writeInbound(plain)).isTrue();
        assertThat(channel.inboundMessages()).hasSize(3);
        assertThat(channel.isOpen()).isTrue();
        channel.finishAndReleaseAll();
    }
}
