package dev.dxreactor.examples.devserver;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;

/** The dev server's HTTP answers besides HBTP over WebSocket: {@code GET /stats} (JSON), {@code GET /metrics}. */
@ChannelHandler.Sharable
final class DevHttp extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final DevStats stats;
    private final MeterRegistry registry;

    DevHttp(DevStats stats, MeterRegistry registry) {
        this.stats = stats;
        this.registry = registry;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        FullHttpResponse response;
        if (!request.method().equals(HttpMethod.GET)) {
            response = answer(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "GET only\n");
        } else if (path.equals("/stats")) {
            response = answer(HttpResponseStatus.OK, "application/json", stats.json());
        } else if (path.equals("/metrics") && registry instanceof PrometheusMeterRegistry prometheus) {
            response = answer(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape());
        } else {
            response = answer(HttpResponseStatus.NOT_FOUND, "text/plain",
                    "GET /stats, GET /metrics, or HBTP over WebSocket at /hbtp\n");
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static FullHttpResponse answer(HttpResponseStatus status, String type, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        return response;
    }
}
