package dev.dxreactor.teleport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A string read in place answers as the decoded {@code String} does, whatever the text and the buffer. */
class TeleportStringTest {

    private static final int BLOCK_LENGTH = 16;
    private static final int FIRST = 0;
    private static final int SECOND = 8;

    private final TeleportBuffer out = TeleportBuffer.allocate(ByteBufAllocator.DEFAULT);
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterProperty
    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
        buffers.clear();
    }

    /** A message holding {@code first} and {@code second}, wrapped and checked by {@code reader}. */
    private TeleportReader wrapped(TeleportReader reader, boolean direct, String first, String second) {
        ByteBuf wire = direct ? ByteBufAllocator.DEFAULT.directBuffer() : Unpooled.buffer();
        buffers.add(wire);
        wire.writeZero(3);
        int at = out.beginMessage(1, 1, 1, BLOCK_LENGTH);
        out.writeString(at + FIRST, first);
        out.writeString(at + SECOND, second);
        out.finishInto(wire);
        reader.wrap(wire, 3, 1, 1, BLOCK_LENGTH);
        reader.checkString(reader.block() + FIRST, "first");
        reader.checkString(reader.block() + SECOND, "second");
        return reader;
    }

    @Property(tries = 300)
    void inPlaceTextAnswersAsTheDecodedString(@ForAll("text") String first, @ForAll("text") String second,
                                               @ForAll boolean direct) {
        TeleportReader reader = wrapped(new TeleportReader(), direct, first, second);
        TeleportString text = new TeleportString(reader);
        for (int ref : new int[]{FIRST, SECOND}) {
            String decoded = reader.string(reader.block() + ref);
            TeleportString inPlace = reader.text(reader.block() + ref, text);
            byte[] utf8 = decoded.getBytes(StandardCharsets.UTF_8);

            assertThat(inPlace).isSameAs(text);
            assertThat(inPlace.utf8Length()).isEqualTo(utf8.length);
            assertThat(inPlace.isEmpty()).isEqualTo(decoded.isEmpty());
            assertThat(inPlace.isAscii()).isEqualTo(decoded.chars().allMatch(c -> c < 0x80));
            assertThat(inPlace.length()).isEqualTo(decoded.length());
            for (int i = 0; i < decoded.length(); i++) {
                assertThat(inPlace.charAt(i)).isEqualTo(decoded.charAt(i));
            }
            assertThat(CharSequence.compare(inPlace, decoded)).isZero();
            assertThat(inPlace.toString()).isEqualTo(decoded);
            assertThat(ByteBufUtil.getBytes(inPlace.utf8())).isEqualTo(utf8);
            if (decoded.length() >= 2) {
                assertThat(inPlace.subSequence(1, decoded.length() - 1).toString())
                        .isEqualTo(decoded.substring(1, decoded.length() - 1));
            }
        }
    }

    @Test
    void rePointingForgetsWhatWasDecodedForThePreviousString() {
        TeleportReader reader = wrapped(new TeleportReader(), true, "Grüße", "plain");
        TeleportString text = new TeleportString(reader);

        assertThat(reader.text(reader.block() + FIRST, text).charAt(2)).isEqualTo('ü');
        assertThat(reader.text(reader.block() + SECOND, text).isAscii()).isTrue();
        assertThat(text.toString()).isEqualTo("plain");

        wrapped(reader, false, "日本語", "");
        assertThat(reader.text(reader.block() + FIRST, text).length()).isEqualTo(3);
        assertThat(text.toString()).isEqualTo("日本語");
        assertThat(reader.text(reader.block() + SECOND, text).isEmpty()).isTrue();
        assertThat(text.length()).isZero();
    }

    @Test
    void aNullStringIsNoTextAndAnIndexOutsideTheTextIsRefused() {
        TeleportReader reader = wrapped(new TeleportReader(), true, null, "ascii");
        TeleportString text = new TeleportString(reader);

        assertThat(reader.text(reader.block() + FIRST, text)).isNull();
        TeleportString ascii = reader.text(reader.block() + SECOND, text);
        assertThatThrownBy(() -> ascii.charAt(5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ascii.charAt(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Provide
    Arbitrary<String> text() {
        // ASCII of every length around a long's 8 bytes, and ASCII with other text anywhere in it.
        return Arbitraries.oneOf(Arbitraries.strings().ascii().ofMaxLength(40), Texts.wellFormed(60));
    }
}
