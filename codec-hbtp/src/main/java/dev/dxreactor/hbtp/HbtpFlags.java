package dev.dxreactor.hbtp;

/** The flag bits of the HBTP/1 frame header. */
public final class HbtpFlags {

    /** The payload is one zstd frame. */
    public static final int COMPRESSED = 0x01;
    /** The payload is ChaCha20-Poly1305 ciphertext followed by its 16-byte tag. */
    public static final int ENCRYPTED = 0x02;
    /** The sender waits for a response with the same sequence. */
    public static final int EXPECTS_RESPONSE = 0x04;
    /** Last frame of a message. */
    public static final int FINAL = 0x08;
    /** The message body starts with a metadata block. */
    public static final int METADATA = 0x10;
    /** Bits a receiver must see as zero; any of them set closes the connection with 1002. */
    public static final int RESERVED_MASK = 0xE0;

    private HbtpFlags() {
    }

    public static boolean has(int flags, int flag) {
        return (flags & flag) != 0;
    }

    /** Human-readable form for logs and errors, for example {@code FINAL|EXPECTS_RESPONSE}. */
    public static String toString(int flags) {
        StringBuilder sb = new StringBuilder();
        append(sb, flags, COMPRESSED, "COMPRESSED");
        append(sb, flags, ENCRYPTED, "ENCRYPTED");
        append(sb, flags, EXPECTS_RESPONSE, "EXPECTS_RESPONSE");
        append(sb, flags, FINAL, "FINAL");
        append(sb, flags, METADATA, "METADATA");
        if ((flags & RESERVED_MASK) != 0) {
            append(sb, flags, flags & RESERVED_MASK, String.format("RESERVED(0x%02x)", flags & RESERVED_MASK));
        }
        return sb.isEmpty() ? "0" : sb.toString();
    }

    private static void append(StringBuilder sb, int flags, int flag, String name) {
        if ((flags & flag) != 0) {
            if (!sb.isEmpty()) {
                sb.append('|');
            }
            sb.append(name);
        }
    }
}
