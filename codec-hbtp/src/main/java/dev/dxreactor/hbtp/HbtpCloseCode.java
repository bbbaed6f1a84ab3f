package dev.dxreactor.hbtp;

/** The close codes a CLOSE frame carries. */
public final class HbtpCloseCode {

    public static final int NORMAL = 1000;
    /** Going away, keepalive timeout, server shutting down. */
    public static final int GOING_AWAY = 1001;
    /** Bad header, reserved bit, frame before HELLO_ACK, bad fragment sequence. */
    public static final int PROTOCOL_ERROR = 1002;
    /** Unsupported opcode or version. */
    public static final int UNSUPPORTED = 1003;
    /** Authentication or decryption failed. */
    public static final int POLICY = 1008;
    /** Frame or message too large. */
    public static final int TOO_LARGE = 1009;
    public static final int INTERNAL_ERROR = 1011;

    private HbtpCloseCode() {
    }
}
