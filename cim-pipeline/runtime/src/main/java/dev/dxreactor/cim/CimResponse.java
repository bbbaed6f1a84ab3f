package dev.dxreactor.cim;

import java.time.Duration;

/**
 * A response as protocol-neutral middleware sees it; HTTP responses are also
 * {@link dev.dxreactor.cim.http.HttpCimResponse}s and HBTP answers {@link dev.dxreactor.cim.hbtp.HbtpCimResponse}s.
 */
public interface CimResponse {

    CimStatus status();

    /** Adds a header (HTTP) or metadata entry (HBTP; keys are printable ASCII). */
    CimResponse header(String name, String value);

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
