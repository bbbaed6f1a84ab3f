package dev.dxreactor.cim;

import dev.dxreactor.hbtp.HbtpStatus;

/**
 * Outcome of a request, with its HTTP status code and its HBTP {@code RPC_ERROR} status.
 */
public enum CimStatus {
    OK(200, HbtpStatus.OK),
    /** A CORS preflight answered; HTTP only. */
    NO_CONTENT(204, HbtpStatus.OK),
    BAD_REQUEST(400, HbtpStatus.BAD_REQUEST),
    UNAUTHENTICATED(401, HbtpStatus.UNAUTHENTICATED),
    PERMISSION_DENIED(403, HbtpStatus.PERMISSION_DENIED),
    NOT_FOUND(404, HbtpStatus.UNKNOWN_ROUTE),
    RESOURCE_EXHAUSTED(429, HbtpStatus.RESOURCE_EXHAUSTED),
    INTERNAL(500, HbtpStatus.INTERNAL),
    UNAVAILABLE(503, HbtpStatus.UNAVAILABLE),
    DEADLINE_EXCEEDED(504, HbtpStatus.DEADLINE_EXCEEDED);

    private final int httpCode;
    private final int hbtpStatus;

    CimStatus(int httpCode, int hbtpStatus) {
        this.httpCode = httpCode;
        this.hbtpStatus = hbtpStatus;
    }

    public int httpCode() {
        return httpCode;
    }

    /** The {@link HbtpStatus} code; {@link HbtpStatus#OK} for the success statuses. */
    public int hbtpStatus() {
        return hbtpStatus;
    }

    public boolean isSuccess() {
        return hbtpStatus == HbtpStatus.OK;
    }

    /** The status whose HTTP code is {@code code}: success for 2xx and 3xx, {@link #INTERNAL} when unknown. */
    public static CimStatus ofHttp(int code) {
        if (code < 400) {
            return code == 204 ? NO_CONTENT : OK;
        }
        for (CimStatus s : values()) {
            if (s.httpCode == code) {
                return s;
            }
        }
        return code < 500 ? BAD_REQUEST : INTERNAL;
    }
}
