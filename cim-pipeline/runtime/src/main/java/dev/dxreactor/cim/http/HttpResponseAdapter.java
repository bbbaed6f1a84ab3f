package dev.dxreactor.cim.http;

import dev.dxreactor.cim.CimResponse;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.cim.FixedHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;

import java.time.Duration;

/** {@link HttpCimResponse} over a Netty response. */
final class HttpResponseAdapter implements HttpCimResponse {

    /** Built once: Netty hashes an AsciiString name once, not on every response. */
    private static final AsciiString RESPONSE_TIME = AsciiString.cached("X-Response-Time");

    private final FullHttpResponse response;

    HttpResponseAdapter(FullHttpResponse response) {
        this.response = response;
    }

    @Override
    public FullHttpResponse http() {
        return response;
    }

    @Override
    public CimStatus status() {
        return CimStatus.ofHttp(response.status().code());
    }

    @Override
    public CimResponse header(CharSequence name, CharSequence value) {
        response.headers().set(name, value);
        return this;
    }

    @Override
    public CimResponse headers(FixedHeaders headers) {
        headers.setOn(response.headers());
        return this;
    }

    @Override
    public CimResponse responseTime(long elapsedNanos) {
        response.headers().set(RESPONSE_TIME, (elapsedNanos / 1000) + "us");
        return this;
    }

    @Override
    public CimResponse retryAfter(Duration delay) {
        long seconds = Math.max(1, (delay.toMillis() + 999) / 1000);
        response.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(seconds));
        return this;
    }

    @Override
    public void discard() {
        response.release();
    }
}
