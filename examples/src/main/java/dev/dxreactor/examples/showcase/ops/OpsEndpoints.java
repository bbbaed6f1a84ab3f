package dev.dxreactor.examples.showcase.ops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.dxreactor.examples.web.GetEndpoints;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The operator's endpoints on the HTTP port, ahead of the API's middleware (a load balancer or Prometheus has no
 * token): {@code GET /metrics} (Prometheus text), {@code GET /health/live}, {@code GET /health/ready} and
 * {@code GET /health} (both: 200 when ready, 503 when not, with each check in a JSON body). Every other request
 * goes on down the pipeline untouched.
 */
@ChannelHandler.Sharable
public final class OpsEndpoints extends GetEndpoints {

    /** The content type Prometheus expects of the text format. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final JsonFactory JSON = new JsonFactory();

    private final ShowcaseMetrics metrics;
    private final Health health;

    /** @param metrics the meters to serve, or {@code null} when metrics are off ({@code /metrics} is then 404) */
    public OpsEndpoints(ShowcaseMetrics metrics, Health health) {
        this.metrics = metrics;
        this.health = health;
    }

    @Override
    protected boolean serves(String path) {
        return path.equals("/metrics") || path.equals("/health") || path.startsWith("/health/");
    }

    @Override
    protected FullHttpResponse answer(ChannelHandlerContext ctx, String path) {
        return switch (path) {
            case "/metrics" -> metrics == null
                    ? text(ctx.alloc(), HttpResponseStatus.NOT_FOUND, "metrics are off (showcase.metrics.enabled)\n")
                    : prometheus(ctx);
            case "/health/live" -> json(ctx, HttpResponseStatus.OK, "UP", Map.of());
            case "/health", "/health/ready" -> {
                Map<String, Boolean> results = health.results();
                boolean ready = Health.ready(results);
                yield json(ctx, ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        ready ? "UP" : "DOWN", results);
            }
            default -> text(ctx.alloc(), HttpResponseStatus.NOT_FOUND, "no such endpoint: /health/live, /health/ready\n");
        };
    }

    private FullHttpResponse prometheus(ChannelHandlerContext ctx) {
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.OK, ctx.alloc().buffer(body.length).writeBytes(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, PROMETHEUS_TEXT);
        return response;
    }

    private static FullHttpResponse json(ChannelHandlerContext ctx, HttpResponseStatus status, String state,
                                         Map<String, Boolean> checks) {
        ByteBuf body = ctx.alloc().buffer(128);
        try (JsonGenerator json = JSON.createGenerator((OutputStream) new ByteBufOutputStream(body))) {
            json.writeStartObject();
            json.writeStringField("status", state);
            if (!checks.isEmpty()) {
                json.writeObjectFieldStart("checks");
                for (Map.Entry<String, Boolean> check : checks.entrySet()) {
                    json.writeBooleanField(check.getKey(), check.getValue());
                }
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            body.release();
            throw new UncheckedIOException(e);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return response;
    }
}
