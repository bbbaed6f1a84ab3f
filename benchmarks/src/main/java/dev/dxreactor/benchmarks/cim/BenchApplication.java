package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.cim.HttpApplication;
import dev.dxreactor.cim.MiddlewareContext;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The application behind every variant: a small JSON answer, built synchronously. The fused chain gets it
 * as an {@link HttpApplication} returning a completed future; the other variants call {@link #answer}.
 */
final class BenchApplication implements HttpApplication {

    private static final byte[] BODY = "{\"items\":[],\"next\":null}".getBytes(StandardCharsets.US_ASCII);

    /** A new response to {@code request} (the request stays the caller's). */
    static FullHttpResponse answer(FullHttpRequest request) {
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(BODY));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return response;
    }

    @Override
    public CompletionStage<FullHttpResponse> handle(MiddlewareContext context, FullHttpRequest request) {
        return CompletableFuture.completedFuture(answer(request));
    }
}
