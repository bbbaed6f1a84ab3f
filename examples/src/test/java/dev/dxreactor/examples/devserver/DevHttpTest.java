package dev.dxreactor.examples.devserver;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dev server's HTTP answers but files (those are in {@link DevServerTest}): the page, its limits, the figures,
 * the order of pipelined answers.
 */
class DevHttpTest {

    private final DevHttp http = new DevHttp(new DevStats(() -> 3), null,
            name -> CompletableFuture.failedFuture(new AssertionError("no file read expected: " + name)));
    private final EmbeddedChannel channel = new EmbeddedChannel(http);

    @Test
    void theRootRedirectsToThePageWhichIsServedAsHtmlWithItsStyle() {
        FullHttpResponse root = ask(HttpMethod.GET, "/");
        assertThat(root.status().code()).isEqualTo(302);
        assertThat(root.headers().get(HttpHeaderNames.LOCATION)).isEqualTo("/dev/");
        root.release();
        FullHttpResponse page = ask(HttpMethod.GET, "/dev/");
        assertThat(page.status().code()).isEqualTo(200);
        assertThat(page.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/html");
        assertThat(page.content().toString(StandardCharsets.UTF_8))
                .contains("\"@dx-reactor/hbtp-client\": \"/dev/hbtp/index.js\"", "<iframe id=\"preview\"");
        page.release();
        FullHttpResponse style = ask(HttpMethod.HEAD, "/dev/reload.css");
        assertThat(style.status().code()).isEqualTo(200);
        assertThat(style.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/css");
        assertThat(style.content().readableBytes()).isZero();
        assertThat(style.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isPositive();
        style.release();
        FullHttpResponse stats = ask(HttpMethod.GET, "/stats");
        assertThat(stats.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(stats.content().toString(StandardCharsets.UTF_8)).contains("\"files_watched\":3");
        stats.release();
        assertThat(channel.finish()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dev/DevHttp.class", "/dev/../DevHttp.class", "/dev/%2e%2e/logback.xml",
            "/dev/hbtp/../../devserver/DevServer.class", "/dev/web/index.html", "/dev/.hidden.js", "/dev/no-such.js",
            "/dev/index.html/", "/dev/reload.ts", "/dev//etc/passwd", "/dev/hbtp/sub/index.js", "/favicon.ico",
            "/metrics", "/nothing"})
    void nothingButThePagesOwnFilesIsServed(String path) {
        FullHttpResponse response = ask(HttpMethod.GET, path);
        assertThat(response.status().code()).isEqualTo(404);
        response.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void unknownNamesUnderThePageAreNotRemembered() {
        FullHttpResponse page = ask(HttpMethod.GET, "/dev/reload.css");
        assertThat(page.status().code()).isEqualTo(200);
        page.release();
        int kept = http.page.kept();
        for (int i = 0; i < 10_000; i++) {
            FullHttpResponse response = ask(HttpMethod.GET, "/dev/made-up-" + i + ".js");
            assertThat(response.status().code()).isEqualTo(404);
            response.release();
        }
        assertThat(http.page.kept()).as("files kept after 10000 made-up names").isEqualTo(kept).isEqualTo(1);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void otherMethodsAreRefused() {
        FullHttpResponse post = ask(HttpMethod.POST, "/files/index.html");
        assertThat(post.status().code()).isEqualTo(405);
        assertThat(post.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD");
        post.release();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void pipelinedAnswersGoOutInTheOrderOfTheRequestsWhenAFileReadEndsLast() {
        CompletableFuture<ByteBuf> read = new CompletableFuture<>();
        EmbeddedChannel pipelined = new EmbeddedChannel(new DevHttp(new DevStats(() -> 3), null, name -> read));
        pipelined.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/files/slow.txt",
                Unpooled.EMPTY_BUFFER));
        pipelined.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/stats",
                Unpooled.EMPTY_BUFFER));
        assertThat((Object) pipelined.readOutbound()).as("the stats wait for the file before them").isNull();
        read.complete(Unpooled.copiedBuffer("slow", StandardCharsets.UTF_8));
        FullHttpResponse first = pipelined.readOutbound();
        FullHttpResponse second = pipelined.readOutbound();
        assertThat(first.content().toString(StandardCharsets.UTF_8)).isEqualTo("slow");
        assertThat(first.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/plain");
        assertThat(second.content().toString(StandardCharsets.UTF_8)).contains("files_watched");
        first.release();
        second.release();
        assertThat(pipelined.finish()).isFalse();
    }

    private FullHttpResponse ask(HttpMethod method, String uri) {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.EMPTY_BUFFER));
        return channel.readOutbound();
    }
}
