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

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The bytes the writer puts in the string table, for ASCII, any other text, and text UTF-8 cannot hold. */
class TeleportBufferStringTest {

    private static final int BLOCK_LENGTH = 16;

    private final TeleportBuffer out = TeleportBuffer.allocate(ByteBufAllocator.DEFAULT);

    @AfterProperty
    void release() {
        out.release();
    }

    /** The string table of a message holding {@code first} and {@code second}, as the reader hands it out. */
    private byte[][] written(CharSequence first, CharSequence second) {
        int at = out.beginMessage(1, 1, 1, BLOCK_LENGTH);
        out.writeString(at, first);
        out.writeString(at + 8, second);
        ByteBuf wire = out.finish();
        try {
            TeleportReader reader = new TeleportReader().validateUtf8(true);
            reader.wrap(wire, 0, 1, 1, BLOCK_LENGTH);
            reader.checkString(reader.block(), "first");
            reader.checkString(reader.block() + 8, "second");
            return new byte[][]{ByteBufUtil.getBytes(reader.stringBytes(reader.block())),
                    ByteBufUtil.getBytes(reader.stringBytes(reader.block() + 8))};
        } finally {
            wire.release();
        }
    }

    @Property(tries = 300)
    void wellFormedTextIsWrittenAsTheJdkAndNettyEncodeIt(@ForAll("text") String first, @ForAll("text") String second) {
        byte[][] bytes = written(first, second);
        assertThat(bytes[0]).isEqualTo(first.getBytes(StandardCharsets.UTF_8)).isEqualTo(netty(first));
        assertThat(bytes[1]).isEqualTo(second.getBytes(StandardCharsets.UTF_8)).isEqualTo(netty(second));
    }

    @Property(tries = 200)
    void anyCharSequenceIsWrittenAsTheJdkEncodesItsString(@ForAll String value) {
        byte[][] bytes = written(new StringBuilder(value), value);
        byte[] expected = value.getBytes(StandardCharsets.UTF_8);
        assertThat(bytes[0]).isEqualTo(expected);
        assertThat(bytes[1]).isEqualTo(expected);
    }

    @Property(tries = 100)
    void loneSurrogatesBecomeQuestionMarksAndTheRestStaysIntact(@ForAll("ascii") String before,
                                                                 @ForAll("ascii") String after) {
        byte[][] bytes = written(before + '\uD800' + after, before + "\uDC00é" + after);
        assertThat(new String(bytes[0], StandardCharsets.UTF_8)).isEqualTo(before + '?' + after);
        assertThat(new String(bytes[1], StandardCharsets.UTF_8)).isEqualTo(before + "?é" + after);
    }

    @Provide
    Arbitrary<String> text() {
        return Texts.wellFormed(300);
    }

    @Provide
    Arbitrary<String> ascii() {
        return Arbitraries.strings().ascii().ofMaxLength(40);
    }

    private static byte[] netty(String value) {
        ByteBuf buf = Unpooled.buffer();
        try {
            ByteBufUtil.writeUtf8(buf, value);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
