package dev.dxreactor.hbtp;

/**
 * Every opcode of HBTP/1. {@link #of(int)} is a table lookup, so decoding never searches.
 */
public enum HbtpOpcode {
    PING(0x00),
    PONG(0x01),
    CLOSE(0x02),
    HELLO(0x03),
    HELLO_ACK(0x04),
    STATE_SYNC(0x10),
    STATE_DELTA(0x11),
    SUBSCRIBE(0x12),
    UNSUBSCRIBE(0x13),
    RPC_CALL(0x30),
    RPC_RESPONSE(0x31),
    RPC_ERROR(0x32),
    CANCEL(0x33),
    CLIENT_EVENT(0x40),
    SERVER_EVENT(0x41);

    private static final HbtpOpcode[] BY_CODE = new HbtpOpcode[256];

    static {
        for (HbtpOpcode opcode : values()) {
            BY_CODE[opcode.code] = opcode;
        }
    }

    private final int code;

    HbtpOpcode(int code) {
        this.code = code;
    }

    /** The byte on the wire. */
    public int code() {
        return code;
    }

    /** The opcode for a wire byte (0..255), or {@code null} when HBTP/1 does not define it. */
    public static HbtpOpcode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
