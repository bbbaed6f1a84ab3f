package dev.dxreactor.benchmarks.rsocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

class EchoContentTest {

    private static ByteBuf request(long sequence, int size) {
        ByteBuf buf = Unpooled.buffer(size);
        EchoContent.write(buf, sequence, size);
        return buf;
    }

    @Property(tries = 200)
    void anUnchangedEchoMatchesItsRequest(@ForAll long sequence, @ForAll @IntRange(min = 1, max = 300) int size) {
        ByteBuf echo = request(sequence, size);
        try {
            assertThat(echo.readableBytes()).isEqualTo(size);
            assertThat(EchoContent.matches(echo, sequence, size)).isTrue();
        } finally {
            echo.release();
        }
    }

    @Property(tries = 200)
    void anyChangedByteIsCaught(@ForAll long sequence, @ForAll @IntRange(min = 1, max = 300) int size,
                                @ForAll @IntRange(min = 0, max = 299) int index,
                                @ForAll @IntRange(min = 1, max = 255) int flip) {
        Assume.that(index < size);
        ByteBuf echo = request(sequence, size);
        try {
            echo.setByte(index, echo.getByte(index) ^ flip);
            assertThat(EchoContent.matches(echo, sequence, size)).isFalse();
        } finally {
            echo.release();
        }
    }

    @Property(tries = 200)
    void theAnswerToAnotherRequestIsCaught(@ForAll long sequence, @ForAll long other,
                                           @ForAll @IntRange(min = 8, max = 300) int size) {
        Assume.that(sequence != other);
        ByteBuf echo = request(other, size);
        try {
            assertThat(EchoContent.matches(echo, sequence, size)).isFalse();
        } finally {
            echo.release();
        }
    }

    @Property(tries = 200)
    void aTruncatedOrLengthenedEchoIsCaught(@ForAll long sequence, @ForAll @IntRange(min = 2, max = 300) int size) {
        ByteBuf shorter = request(sequence, size - 1);
        ByteBuf longer = request(sequence, size);
        longer.writeByte(0);
        try {
            assertThat(EchoContent.matches(shorter, sequence, size)).isFalse();
            assertThat(EchoContent.matches(longer, sequence, size)).isFalse();
        } finally {
            shorter.release();
            longer.release();
        }
    }

    @Property(tries = 100)
    void theCheckReadsFromTheReaderIndexAndLeavesItThere(@ForAll long sequence,
                                                         @ForAll @IntRange(min = 1, max = 100) int size) {
        ByteBuf framed = Unpooled.buffer();
        framed.writeInt(0xCAFE);
        EchoContent.write(framed, sequence, size);
        framed.skipBytes(Integer.BYTES);
        try {
            assertThat(EchoContent.matches(framed, sequence, size)).isTrue();
            assertThat(framed.readerIndex()).isEqualTo(Integer.BYTES);
        } finally {
            framed.release();
        }
    }
}
