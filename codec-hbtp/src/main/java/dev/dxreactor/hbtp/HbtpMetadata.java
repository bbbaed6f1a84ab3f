package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The metadata block that starts a message body when the METADATA flag is set:
 * {@code u16 count}, then {@code count} entries of {@code u8 keyLength, key (ASCII), u16 valueLength, value}.
 *
 * <p>Immutable. Keys are compared exactly; a key may appear more than once ({@link #get} returns the
 * first). Reading checks the size against a limit before copying anything.
 */
public final class HbtpMetadata {

    /** Default largest block, from the spec. */
    public static final int DEFAULT_MAX_SIZE = 8 * 1024;

    /** Keys used by the built-ins. */
    public static final String AUTH = "auth";
    public static final String DEADLINE_MS = "deadline-ms";
    public static final String TRACE_ID = "trace-id";
    public static final String RESPONSE_TIME_US = "response-time-us";
    public static final String VERSION = "version";

    private static final HbtpMetadata EMPTY = new HbtpMetadata(List.of());
    private static final String[] KNOWN_KEYS = {VERSION, DEADLINE_MS, AUTH, TRACE_ID, RESPONSE_TIME_US};

    private final List<Entry> entries;

    /** One key and its value. */
    public record Entry(String key, byte[] value) {
        public Entry {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.key.equals(key) && Arrays.equals(e.value, value);
        }

        @Override
        public int hashCode() {
            return key.hashCode() * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return key + "=" + new String(value, StandardCharsets.UTF_8);
        }
    }

    private HbtpMetadata(List<Entry> entries) {
        this.entries = entries;
    }

    public static HbtpMetadata empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Entry> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The first value for {@code key}, or {@code null}. */
    public byte[] getBytes(String key) {
        for (Entry e : entries) {
            if (e.key.equals(key)) {
                return e.value();
            }
        }
        return null;
    }

    /** The first value for {@code key} as UTF-8 text, or {@code null}. */
    public String get(String key) {
        for (Entry e : entries) {
            if (e.key.equals(key)) {
                return new String(e.value, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Bytes this block takes on the wire. */
    public int encodedSize() {
        int size = 2;
        for (Entry e : entries) {
            size += 1 + e.key.length() + 2 + e.value.length;
        }
        return size;
    }

    /** Appends the block at the writer index. */
    public void write(ByteBuf out) {
        out.ensureWritable(encodedSize());
        out.writeShortLE(entries.size());
        for (Entry e : entries) {
            out.writeByte(e.key.length());
            out.writeCharSequence(e.key, StandardCharsets.US_ASCII);
            out.writeShortLE(e.value.length);
            out.writeBytes(e.value);
        }
    }

    /**
     * Reads a block from the reader index of {@code body} and moves past it.
     *
     * @throws HbtpProtocolException 1009 when the block is larger than {@code maxSize}, 1002 when it is
     *                               truncated or a key is not printable ASCII
     */
    public static HbtpMetadata read(ByteBuf body, int maxSize) {
        int start = body.readerIndex();
        if (body.readableBytes() < 2) {
            throw malformed("metadata block is shorter than its 2-byte count");
        }
        int count = body.getUnsignedShortLE(start);
        // First pass: walk the sizes only, so nothing is copied for a block that breaks a limit.
        int at = start + 2;
        int end = body.writerIndex();
        for (int i = 0; i < count; i++) {
            if (at + 1 > end) {
                throw malformed("metadata entry " + i + " of " + count + " is truncated");
            }
            int keyLength = body.getUnsignedByte(at);
            at += 1 + keyLength;
            if (at + 2 > end) {
                throw malformed("metadata entry " + i + " of " + count + " is truncated");
            }
            int valueLength = body.getUnsignedShortLE(at);
            at += 2 + valueLength;
            if (at - start > maxSize) {
                throw new HbtpProtocolException(HbtpCloseCode.TOO_LARGE,
                        "metadata block exceeds the maximum of " + maxSize + " bytes");
            }
            if (at > end) {
                throw malformed("metadata entry " + i + " of " + count + " is truncated");
            }
        }
        body.skipBytes(2);
        if (count == 1) {
            // The usual case (one version, deadline or trace id): no list to grow and wrap.
            return new HbtpMetadata(List.of(readEntry(body)));
        }
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(readEntry(body));
        }
        return entries.isEmpty() ? EMPTY : new HbtpMetadata(Collections.unmodifiableList(entries));
    }

    private static Entry readEntry(ByteBuf body) {
        int keyLength = body.readUnsignedByte();
        String key = readAsciiKey(body, keyLength);
        byte[] value = new byte[body.readUnsignedShortLE()];
        body.readBytes(value);
        return new Entry(key, value);
    }

    private static String readAsciiKey(ByteBuf body, int length) {
        if (length == 0) {
            // The writer refuses an empty key; a reader that took one would see entries no sender can make.
            throw malformed("metadata key of length 0");
        }
        int at = body.readerIndex();
        for (int i = 0; i < length; i++) {
            int c = body.getUnsignedByte(at + i);
            if (c < 0x21 || c > 0x7E) {
                throw malformed(String.format("metadata key byte 0x%02x is not printable ASCII", c));
            }
        }
        String key = knownKey(body, at, length);
        if (key == null) {
            key = body.toString(at, length, StandardCharsets.US_ASCII);
        }
        body.skipBytes(length);
        return key;
    }

    /** The constant for a built-in key, so that the keys every call carries are not decoded into new strings. */
    private static String knownKey(ByteBuf body, int at, int length) {
        for (String known : KNOWN_KEYS) {
            if (known.length() == length && matches(body, at, known)) {
                return known;
            }
        }
        return null;
    }

    private static boolean matches(ByteBuf body, int at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (body.getByte(at + i) != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static HbtpProtocolException malformed(String reason) {
        return new HbtpProtocolException(HbtpCloseCode.PROTOCOL_ERROR, reason);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HbtpMetadata m && m.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "HbtpMetadata" + entries;
    }

    /** Collects entries and checks each as it is added. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        private Builder() {
        }

        public Builder put(String key, String value) {
            return put(key, value.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * @throws IllegalArgumentException if the key is empty, longer than 255 or not printable ASCII,
         *                                  or the value is longer than 65535 bytes
         */
        public Builder put(String key, byte[] value) {
            if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
                throw new IllegalArgumentException("metadata key '" + key
                        + "' must be 1 to 255 printable ASCII characters");
            }
            if (value.length > 0xFFFF) {
                throw new IllegalArgumentException("metadata value for '" + key + "' is " + value.length
                        + " bytes; at most 65535");
            }
            if (entries.size() == 0xFFFF) {
                throw new IllegalArgumentException("at most 65535 metadata entries");
            }
            entries.add(new Entry(key, value));
            return this;
        }

        public HbtpMetadata build() {
            return entries.isEmpty() ? EMPTY : new HbtpMetadata(List.copyOf(entries));
        }
    }
}
