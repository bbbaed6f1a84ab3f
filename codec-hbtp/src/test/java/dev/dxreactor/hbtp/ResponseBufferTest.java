package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseBufferTest {

    @Property(tries = 200)
    void capacityDoesNotGrowAfterWarmUp(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 2000) Integer> bodySizes,
            @ForAll @IntRange(min = 1, max = 8) int repliesPerBurst) {
        ResponseBuffer responses = new ResponseBuffer(ByteBufAllocator.DEFAULT, 1 << 20);
        try {
            int largest = bodySizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
            // Warm-up: one burst of the largest replies this workload has.
            burst(responses, largest, repliesPerBurst);
            int warmCapacity = responses.capacity();

            for (int size : bodySizes) {
                burst(responses, size, repliesPerBurst);
                assertThat(responses.capacity()).isEqualTo(warmCapacity);
            }
        } finally {
            responses.reset();
        }
    }

    private static void burst(ResponseBuffer responses, int bodySize, int replies) {
        ByteBuf body = Unpooled.wrappedBuffer(new byte[bodySize]);
        for (int i = 0; i < replies; i++) {
            responses.writeRpcResponse(i, body);
        }
        ByteBuf out = responses.take();
        assertThat(out.readableBytes()).isEqualTo(replies * (HbtpHeader.SIZE + bodySize));
        out.release();
    }

    @Test
    void repliesOfOneBurstDecodeBackInOrder() {
        ResponseBuffer responses = new ResponseBuffer(ByteBufAllocator.DEFAULT, 1 << 20);
        responses.writePong(1, Unpooled.wrappedBuffer(new byte[]{1, 2}));
        responses.writeRpcResponse(2, Unpooled.wrappedBuffer(new byte[]{3}));
        responses.writeRpcError(3, HbtpStatus.UNKNOWN_ROUTE, "no route 9");
        ByteBuf out = responses.take();
        assertThat(responses.take()).isNull();

        EmbeddedChannel decoder = new EmbeddedChannel(new HbtpFrameCodec());
        try {
            decoder.writeInbound(out);
            HbtpFrame pong = decoder.readInbound();
            HbtpFrame response = decoder.readInbound();
            HbtpFrame error = decoder.readInbound();
            assertThat(pong.opcode()).isEqualTo(HbtpOpcode.PONG);
            assertThat(response.sequence()).isEqualTo(2);
            assertThat(error.payload().readUnsignedShortLE()).isEqualTo(HbtpStatus.UNKNOWN_ROUTE);
            assertThat(error.payload().toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("no route 9");
            pong.release();
            response.release();
            error.release();
        } finally {
            decoder.finishAndReleaseAll();
        }
    }

    @Test
    void aReplyLargerThanThePeersFrameLimitIsSentAsFragments() {
        ResponseBuffer responses = new ResponseBuffer(ByteBufAllocator.DEFAULT, 100);
        responses.writeRpcResponse(7, Unpooled.wrappedBuffer(new byte[250]));
        ByteBuf out = responses.take();
        assertThat(out.readableBytes()).isEqualTo(250 + 3 * HbtpHeader.SIZE);
        assertThat(HbtpHeader.flags(out, 0)).isZero();
        assertThat(HbtpHeader.flags(out, 108)).isZero();
        assertThat(HbtpHeader.flags(out, 216)).isEqualTo(HbtpFlags.FINAL);
        out.release();
    }
}
