package dev.dxreactor.examples.showcase.ops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

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
public final class OpsEndpoints extends ChannelInboundHandlerAdapter {

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
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (!path.equals("/metrics") && !path.equals("/health") && !path.startsWith("/health/")) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            FullHttpResponse response = answer(ctx, request.method(), path);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setContentLength(response, response.content().readableBytes());
            HttpUtil.setKeepAlive(response, keepAlive);
            if (request.method().equals(HttpMethod.HEAD)) {
                response.content().clear();
            }
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        } finally {
            request.release();
        }
    }

    private FullHttpResponse answer(ChannelHandlerContext ctx, HttpMethod method, String path) {
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            FullHttpResponse refused = text(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "GET or HEAD only\n");
            refused.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return refused;
        }
        return switch (path) {
            case "/metrics" -> metrics == null
                    ? text(ctx, HttpResponseStatus.NOT_FOUND, "metrics are off (showcase.metrics.enabled)\n")
                    : prometheus(ctx);
            case "/health/live" -> json(ctx, HttpResponseStatus.OK, "UP", Map.of());
            case "/health", "/health/ready" -> {
                Map<String, Boolean> results = health.results();
                boolean ready = Health.ready(results);
                yield json(ctx, ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        ready ? "UP" : "DOWN", results);
            }
            default -> text(ctx, HttpResponseStatus.NOT_FOUND, "no such endpoint: /health/live, /health/ready\n");
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

    private static FullHttpResponse text(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                status, ctx.alloc().buffer(bytes.length).writeBytes(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return response;
    }
}
