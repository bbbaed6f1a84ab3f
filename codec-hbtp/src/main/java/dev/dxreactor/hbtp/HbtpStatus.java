package dev.dxreactor.hbtp;

/** Status codes of RPC_ERROR. */
public final class HbtpStatus {

    /** Never sent in RPC_ERROR. */
    public static final int OK = 0;
    public static final int UNKNOWN_ROUTE = 1;
    public static final int BAD_REQUEST = 2;
    public static final int UNAUTHENTICATED = 3;
    public static final int PERMISSION_DENIED = 4;
    /** Rate limited, too many in flight. */
    public static final int RESOURCE_EXHAUSTED = 5;
    public static final int DEADLINE_EXCEEDED = 6;
    public static final int CANCELLED = 7;
    public static final int INTERNAL = 8;
    /** Shutting down. */
    public static final int UNAVAILABLE = 9;
    /** Conditional request: the client's {@code version} is current. */
    public static final int NOT_MODIFIED = 10;

    private HbtpStatus() {
    }

    public static String name(int status) {
        return switch (status) {
            case OK -> "OK";
            case UNKNOWN_ROUTE -> "UNKNOWN_ROUTE";
            case BAD_REQUEST -> "BAD_REQUEST";
            case UNAUTHENTICATED -> "UNAUTHENTICATED";
            case PERMISSION_DENIED -> "PERMISSION_DENIED";
            case RESOURCE_EXHAUSTED -> "RESOURCE_EXHAUSTED";
            case DEADLINE_EXCEEDED -> "DEADLINE_EXCEEDED";
            case CANCELLED -> "CANCELLED";
            case INTERNAL -> "INTERNAL";
            case UNAVAILABLE -> "UNAVAILABLE";
            case NOT_MODIFIED -> "NOT_MODIFIED";
            default -> "STATUS_" + status;
        };
    }
}
