package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HbtpHeaderTest {

    @Property(tries = 500)
    void headerIsEightBytesAndRoundTripsForAllFieldValues(@ForAll @IntRange(min = 0, max = 255) int opcode,
                                                           @ForAll @IntRange(min = 0, max = 255) int flags,
                                                           @ForAll @IntRange(min = 0, max = 0xFFFF) int sequence,
                                                           @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long length,
                                                           @ForAll @IntRange(min = 0, max = 7) int offset) {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeZero(offset);
            HbtpHeader.write(buf, opcode, flags, sequence, length);

            assertThat(buf.readableBytes() - offset).isEqualTo(HbtpHeader.SIZE).isEqualTo(8);
            assertThat(HbtpHeader.opcode(buf, offset)).isEqualTo(opcode);
            assertThat(HbtpHeader.flags(buf, offset)).isEqualTo(flags);
            assertThat(HbtpHeader.sequence(buf, offset)).isEqualTo(sequence);
            assertThat(HbtpHeader.length(buf, offset)).isEqualTo(length);
            // Little-endian on the wire: the low byte of the sequence comes first.
            assertThat(buf.getUnsignedByte(offset + 2)).isEqualTo((short) (sequence & 0xFF));
            assertThat(buf.getUnsignedByte(offset + 4)).isEqualTo((short) (length & 0xFF));
        } finally {
            buf.release();
        }
    }

    @Test
    void fieldsThatDoNotFitTheirWidthAreRejected() {
        ByteBuf buf = Unpooled.buffer();
        try {
            assertThatThrownBy(() -> HbtpHeader.write(buf, 256, 0, 0, 0)).hasMessageContaining("opcode 256");
            assertThatThrownBy(() -> HbtpHeader.write(buf, 0, 0, 65536, 0)).hasMessageContaining("sequence 65536");
            assertThatThrownBy(() -> HbtpHeader.write(buf, 0, 0, 0, 1L << 32)).hasMessageContaining("u32");
            assertThat(buf.readableBytes()).isZero();
        } finally {
            buf.release();
        }
    }
}
