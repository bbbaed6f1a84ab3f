package dev.dxreactor.examples.showcase.ops;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class OpsEndpointsTest {

    private final AtomicBoolean listening = new AtomicBoolean(true);
    private final Health health = new Health().check("accepting", () -> true).check("cacheListener", listening::get);

    @Test
    void readinessFollowsItsChecksAndLivenessDoesNot() {
        EmbeddedChannel channel = new EmbeddedChannel(new OpsEndpoints(null, health));
        assertThat(ask(channel, HttpMethod.GET, "/health/ready")).satisfies(r -> {
            assertThat(r.status().code()).isEqualTo(200);
            assertThat(body(r)).isEqualTo("{\"status\":\"UP\",\"checks\":{\"accepting\":true,\"cacheListener\":true}}");
        });
        listening.set(false);
        assertThat(ask(channel, HttpMethod.GET, "/health")).satisfies(r -> {
            assertThat(r.status().code()).isEqualTo(503);
            assertThat(body(r)).contains("\"status\":\"DOWN\"").contains("\"cacheListener\":false");
        });
        assertThat(ask(channel, HttpMethod.GET, "/health/live")).satisfies(r -> {
            assertThat(r.status().code()).isEqualTo(200);
            assertThat(body(r)).isEqualTo("{\"status\":\"UP\"}");
        });
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void metricsAreServedAsPrometheusTextOr404WhenOff() {
        try (ShowcaseMetrics metrics = new ShowcaseMetrics()) {
            Counter.builder("showcase.test.calls").tag("route", "1").register(metrics.registry()).increment(3);
            EmbeddedChannel channel = new EmbeddedChannel(new OpsEndpoints(metrics, health));
            FullHttpResponse response = ask(channel, HttpMethod.GET, "/metrics");
            assertThat(response.status().code()).isEqualTo(200);
            assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo(OpsEndpoints.PROMETHEUS_TEXT);
            assertThat(body(response)).contains("showcase_test_calls_total{route=\"1\"} 3.0")
                    .contains("jvm_memory_used_bytes");
            channel.finishAndReleaseAll();
        }
        EmbeddedChannel off = new EmbeddedChannel(new OpsEndpoints(null, health));
        FullHttpResponse notFound = ask(off, HttpMethod.GET, "/metrics");
        assertThat(notFound.status().code()).isEqualTo(404);
        notFound.release();
        off.finishAndReleaseAll();
    }

    @Test
    void otherMethodsAreRefusedHeadHasNoBodyAndOtherPathsPassThroughUntouched() {
        EmbeddedChannel channel = new EmbeddedChannel(new OpsEndpoints(null, health));
        FullHttpResponse post = ask(channel, HttpMethod.POST, "/health");
        assertThat(post.status().code()).isEqualTo(405);
        assertThat(post.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD");
        post.release();
        FullHttpResponse head = ask(channel, HttpMethod.HEAD, "/health/live");
        assertThat(head.content().readableBytes()).isZero();
        assertThat(head.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(15);
        head.release();

        FullHttpRequest api = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/items/42",
                Unpooled.EMPTY_BUFFER);
        channel.writeInbound(api);
        assertThat((Object) channel.readInbound()).isSameAs(api);
        assertThat(api.refCnt()).isEqualTo(1);
        api.release();
        assertThat(channel.finish()).isFalse();
    }

    private static FullHttpResponse ask(EmbeddedChannel channel, HttpMethod method, String uri) {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.EMPTY_BUFFER));
        return channel.readOutbound();
    }

    private static String body(FullHttpResponse response) {
        try {
            return response.content().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
        }
    }
}
