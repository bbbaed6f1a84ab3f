package dev.dxreactor.teleport;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A string field read in place: a {@link CharSequence} over the UTF-8 bytes in the message, with no copy. A
 * view hands out one per string component and re-points it on every call ({@code view.nameText()}), so
 * reading a string this way allocates nothing.
 *
 * <pre>{@code
 * TeleportString name = view.nameText();
 * if (CharSequence.compare(name, "Ada Lovelace") == 0) { ... }   // compares in place
 * out.writeCharSequence(name, StandardCharsets.UTF_8);           // or name.utf8(): the bytes as a slice
 * }</pre>
 *
 * <p>ASCII text, the common case, is read byte for byte where it lies. The first call that needs characters
 * ({@link #length()}, {@link #charAt}) looks at the bytes once to find out; text beyond ASCII is then decoded
 * once into a {@code String} that later calls read from, because a UTF-8 byte does not say which character
 * it belongs to. {@link #utf8Length()} and {@link #utf8()} never decode.
 *
 * <p>Valid only while the view that handed it out stays on the same message and its buffer is not released:
 * the next call of the same accessor, or a {@code rewrap}, re-points it. Keep {@link #toString()} to keep the
 * text. Not thread-safe.
 */
public final class TeleportString implements CharSequence {

    private static final int UNKNOWN = 0;
    private static final int ASCII = 1;
    private static final int DECODED = 2;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    private final TeleportReader reader;
    private ByteBuffer memory;
    /** Where the bytes start in {@link #memory}. */
    private int start;
    private int utf8Length;
    private int kind;
    /** The text as a {@code String}, once asked for or decoded; dropped when re-pointed. */
    private String string;

    /** A string of the messages {@code reader} holds, not yet pointed at one; for generated code. */
    public TeleportString(TeleportReader reader) {
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    /** Points at {@code utf8Length} bytes from {@code start} of {@code memory}, which were validated. */
    TeleportString moveTo(ByteBuffer memory, int start, int utf8Length) {
        if (this.memory != memory) {
            this.memory = memory;
        }
        this.start = start;
        this.utf8Length = utf8Length;
        this.kind = UNKNOWN;
        if (string != null) {
            string = null;
        }
        return this;
    }

    /** Bytes of the UTF-8 encoding; no decoding. */
    public int utf8Length() {
        return utf8Length;
    }

    /** Whether every byte is ASCII, so that bytes and characters are the same. */
    public boolean isAscii() {
        return kind() == ASCII;
    }

    /** The UTF-8 bytes as a slice of the message buffer: no copy, valid as long as this string is. */
    public ByteBuf utf8() {
        return reader.bufferSlice(start, utf8Length);
    }

    @Override
    public int length() {
        return kind() == ASCII ? utf8Length : string.length();
    }

    @Override
    public char charAt(int index) {
        if (kind() == ASCII) {
            Objects.checkIndex(index, utf8Length);
            return (char) memory.get(start + index);
        }
        return string.charAt(index);
    }

    @Override
    public boolean isEmpty() {
        return utf8Length == 0;
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        return toString().substring(from, to);
    }

    /** The text as a {@code String}, independent of the buffer; made once per message and then kept. */
    @Override
    public String toString() {
        if (string == null) {
            string = reader.decode(start, utf8Length);
        }
        return string;
    }

    private int kind() {
        if (kind == UNKNOWN) {
            if (bytesAreAscii()) {
                kind = ASCII;
            } else {
                string = reader.decode(start, utf8Length);
                kind = DECODED;
            }
        }
        return kind;
    }

    private boolean bytesAreAscii() {
        ByteBuffer memory = this.memory;
        int end = start + utf8Length;
        int at = start;
        long high = 0;
        for (; at <= end - Long.BYTES; at += Long.BYTES) {
            high |= memory.getLong(at);
        }
        for (; at < end; at++) {
            high |= memory.get(at);
        }
        return (high & HIGH_BITS) == 0;
    }
}
