package dev.dxreactor.hbtp;

/** The capability bits of HELLO and HELLO_ACK. */
public final class HbtpCapabilities {

    public static final int ZSTD = 0x0001;
    public static final int ENCRYPTION = 0x0002;
    public static final int METADATA = 0x0004;
    public static final int STATE = 0x0008;

    /** What this release implements. */
    public static final int SUPPORTED = ZSTD | ENCRYPTION | METADATA | STATE;

    private HbtpCapabilities() {
    }

    public static String toString(int capabilities) {
        StringBuilder sb = new StringBuilder();
        if ((capabilities & ZSTD) != 0) {
            sb.append("ZSTD|");
        }
        if ((capabilities & ENCRYPTION) != 0) {
            sb.append("ENCRYPTION|");
        }
        if ((capabilities & METADATA) != 0) {
            sb.append("METADATA|");
        }
        if ((capabilities & STATE) != 0) {
            sb.append("STATE|");
        }
        return sb.isEmpty() ? "none" : sb.substring(0, sb.length() - 1);
    }
}
