package dev.dxreactor.examples.showcase.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BoardPageTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new BoardPage());

    @Test
    void theRootRedirectsToThePageWhichIsServedAsHtml() {
        FullHttpResponse root = ask(HttpMethod.GET, "/");
        assertThat(root.status().code()).isEqualTo(302);
        assertThat(root.headers().get(HttpHeaderNames.LOCATION)).isEqualTo("/board/");
        root.release();
        FullHttpResponse page = ask(HttpMethod.GET, "/board/");
        assertThat(page.status().code()).isEqualTo(200);
        assertThat(page.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/html");
        assertThat(page.content().toString(StandardCharsets.UTF_8)).contains("<tbody id=\"items\">");
        page.release();
        FullHttpResponse style = ask(HttpMethod.HEAD, "/board/board.css");
        assertThat(style.status().code()).isEqualTo(200);
        assertThat(style.content().readableBytes()).isZero();
        assertThat(style.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isPositive();
        style.release();
        assertThat(channel.finish()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/board/BoardPage.class", "/board/../logback.xml", "/board/hbtp/../../showcase.conf",
            "/board/%2e%2e/logback.xml", "/board/config/defaults.conf", "/board/teleport/../../x.js",
            "/board/teleport/dev/../../BoardPage.class", "/board/teleport/Item.d.ts", "/board/.hidden.js", "/board/no-such.js",
            "/favicon.ico"})
    void nothingButThePagesOwnFilesIsServed(String path) {
        FullHttpResponse response = ask(HttpMethod.GET, path);
        assertThat(response.status().code()).isEqualTo(404);
        response.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void otherMethodsAreRefusedAndOtherPathsPassThroughUntouched() {
        FullHttpResponse post = ask(HttpMethod.POST, "/board/");
        assertThat(post.status().code()).isEqualTo(405);
        post.release();
        FullHttpRequest api = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/items/42",
                Unpooled.EMPTY_BUFFER);
        channel.writeInbound(api);
        assertThat((Object) channel.readInbound()).isSameAs(api);
        api.release();
        assertThat(channel.finish()).isFalse();
    }

    private FullHttpResponse ask(HttpMethod method, String uri) {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.EMPTY_BUFFER));
        return channel.readOutbound();
    }
}
