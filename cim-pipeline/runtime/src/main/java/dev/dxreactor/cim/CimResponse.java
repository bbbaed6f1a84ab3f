package dev.dxreactor.cim;

import java.time.Duration;

/**
 * A response as protocol-neutral middleware sees it; HTTP responses are also
 * {@link dev.dxreactor.cim.http.HttpCimResponse}s and HBTP answers {@link dev.dxreactor.cim.hbtp.HbtpCimResponse}s.
 */
public interface CimResponse {

    CimStatus status();

    /**
     * Sets a header (HTTP; any earlier value of that name is replaced) or adds a metadata entry (HBTP; keys are
     * printable ASCII). Over HTTP, names and values given as constant {@link io.netty.util.AsciiString}s cost
     * less: the name's hash is computed once, and both are checked and written as bytes.
     */
    CimResponse header(CharSequence name, CharSequence value);

    /**
     * Sets {@code headers}, in order, replacing earlier values of their names (see {@link FixedHeaders#setOn});
     * over HTTP without checking or hashing them again.
     */
    CimResponse headers(FixedHeaders headers);

    /**
     * Records how long the request took: HTTP header {@code X-Response-Time: <micros>us}, HBTP metadata
     * {@code response-time-us: <micros>}.
     */
    CimResponse responseTime(long elapsedNanos);

    /**
     * Tells the client when to try again: HTTP {@code Retry-After} (whole seconds, rounded up), HBTP metadata
     * {@code retry-after-ms}.
     */
    CimResponse retryAfter(Duration delay);

    /** Releases the body of a response that will not be sent (one replaced in an after). */
    void discard();
}
