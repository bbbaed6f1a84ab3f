package dev.dxreactor.benchmarks.cim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;

/**
 * How the handlers of the non-fused variants answer, the plain Netty way, with the same bytes the fused
 * chain's {@code HttpExchange} produces: error replies as UTF-8 text, and sending with
 * {@code Content-Length} and keep-alive set from the request, which is released once the response is
 * written.
 */
final class Responses {

    private static final AsciiString TEXT = AsciiString.cached(HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8");

    private Responses() {
    }

    /** A reply with {@code message} as its text body, or no body. */
    static FullHttpResponse reply(FullHttpRequest request, HttpResponseStatus status, String message) {
        ByteBuf body = message == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(message, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status, body);
        if (body.isReadable()) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT);
        }
        return response;
    }

    /** Writes and flushes {@code response} from {@code ctx}, and releases {@code request}. */
    static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        try {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setContentLength(response, response.content().readableBytes());
            HttpUtil.setKeepAlive(response, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(response, ctx.voidPromise());
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        } finally {
            request.release();
        }
    }

    /** Whether {@code request} is a CORS preflight, by the test {@code CorsMiddleware} applies. */
    static boolean isPreflight(FullHttpRequest request) {
        return HttpMethod.OPTIONS.equals(request.method())
                && request.headers().contains(HttpHeaderNames.ORIGIN)
                && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    /** The 204 a preflight from an allowed origin gets, before the origin headers every allowed answer gets. */
    static FullHttpResponse preflight(FullHttpRequest request) {
        FullHttpResponse response = reply(request, HttpResponseStatus.NO_CONTENT, null);
        ChainRules.PREFLIGHT_HEADERS.setOn(response.headers());
        return response;
    }
}
