package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The metrics' frame counter finds every frame of a stream, wherever the reads split it. */
class FrameWalkerPropertyTest {

    @Property(tries = 200)
    void countsEveryFrameWhereverTheStreamIsSplit(@ForAll @Size(max = 40) List<@IntRange(max = 300) Integer> payloads,
                                                 @ForAll long seed) {
        ByteBuf stream = Unpooled.buffer();
        for (int length : payloads) {
            HbtpHeader.write(stream, HbtpOpcode.RPC_CALL.code(), HbtpFlags.FINAL, 1, length);
            stream.writeZero(length);
        }
        Random random = new Random(seed);
        WireCounter.FrameWalker walker = new WireCounter.FrameWalker();
        int frames = 0;
        try {
            while (stream.isReadable()) {
                int chunk = 1 + random.nextInt(Math.min(stream.readableBytes(), random.nextBoolean() ? 9 : 700));
                ByteBuf read = stream.readSlice(chunk);
                int readerIndex = read.readerIndex();
                frames += walker.walk(read);
                assertThat(read.readerIndex()).as("the walker leaves the buffer as it was").isEqualTo(readerIndex);
            }
        } finally {
            stream.release();
        }
        assertThat(frames).isEqualTo(payloads.size());
    }
}
