package dev.dxreactor.cim.hbtp;

import dev.dxreactor.cim.CimResponse;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.cim.FixedHeaders;
import dev.dxreactor.hbtp.HbtpMetadata;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;

import java.time.Duration;

/** {@link HbtpCimResponse}: status, body or message, and the metadata collected for the answer. */
final class HbtpAnswer implements HbtpCimResponse {

    static final String RETRY_AFTER_MS = "retry-after-ms";

    private final CimStatus status;
    private final ByteBuf body;
    private final String message;
    private HbtpMetadata.Builder metadata;

    private HbtpAnswer(CimStatus status, ByteBuf body, String message) {
        this.status = status;
        this.body = body;
        this.message = message;
    }

    static HbtpAnswer response(ByteBuf body) {
        return new HbtpAnswer(CimStatus.OK, body, null);
    }

    static HbtpAnswer error(CimStatus status, String message) {
        return new HbtpAnswer(status, null, message);
    }

    @Override
    public CimStatus status() {
        return status;
    }

    @Override
    public ByteBuf body() {
        return body;
    }

    @Override
    public String message() {
        return message;
    }

    @Override
    public CimResponse header(CharSequence name, CharSequence value) {
        if (metadata == null) {
            metadata = HbtpMetadata.builder();
        }
        metadata.put(name.toString(), value.toString());
        return this;
    }

    @Override
    public CimResponse headers(FixedHeaders headers) {
        headers.forEach(this::header);
        return this;
    }

    @Override
    public CimResponse responseTime(long elapsedNanos) {
        return header(HbtpMetadata.RESPONSE_TIME_US, Long.toString(elapsedNanos / 1000));
    }

    @Override
    public CimResponse retryAfter(Duration delay) {
        return header(RETRY_AFTER_MS, Long.toString(Math.max(1, delay.toMillis())));
    }

    /** The metadata to send; empty when no hook added any. */
    HbtpMetadata metadata() {
        return metadata == null ? HbtpMetadata.empty() : metadata.build();
    }

    @Override
    public void discard() {
        ReferenceCountUtil.release(body);
    }
}
