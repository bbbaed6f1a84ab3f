package dev.dxreactor.teleport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One reader re-wrapped over messages in every kind of buffer, in turn: it must follow each to its memory. */
class TeleportReaderTest {

    private static final int BLOCK_LENGTH = 16;

    private final TeleportBuffer out = TeleportBuffer.allocate(ByteBufAllocator.DEFAULT);
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void release() {
        out.release();
        buffers.forEach(ByteBuf::release);
    }

    private void write(ByteBuf target, long id, String name) {
        int at = out.beginMessage(1, 1, 1, BLOCK_LENGTH);
        out.putLong(at, id);
        out.writeString(at + 8, name);
        out.finishInto(target);
    }

    private ByteBuf kept(ByteBuf buf) {
        buffers.add(buf);
        return buf;
    }

    private static void assertReads(TeleportReader reader, ByteBuf buf, int offset, long id, String name) {
        reader.wrap(buf, offset, 1, 1, BLOCK_LENGTH);
        reader.checkString(reader.block() + 8, "name");
        assertThat(reader.memory().getLong(reader.block())).isEqualTo(id);
        assertThat(reader.string(reader.block() + 8)).isEqualTo(name);
    }

    @Test
    void aReaderFollowsMessagesAcrossDirectHeapAndCompositeBuffers() {
        ByteBuf pooled = kept(ByteBufAllocator.DEFAULT.directBuffer());
        write(pooled, 1, "first");
        int second = pooled.writerIndex();
        write(pooled, 2, "second, later in the same buffer");
        ByteBuf other = kept(ByteBufAllocator.DEFAULT.directBuffer());
        write(other, 3, "another direct buffer");
        ByteBuf heap = kept(Unpooled.buffer());
        heap.writeZero(5);
        write(heap, 4, "a heap buffer, at an offset");
        ByteBuf tail = Unpooled.directBuffer();
        write(tail, 5, "spread over two components");
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        kept(composite);
        composite.addComponent(true, tail.retainedSlice(0, 20))
                .addComponent(true, tail.retainedSlice(20, tail.readableBytes() - 20));
        tail.release();

        TeleportReader reader = new TeleportReader();
        for (int round = 0; round < 2; round++) {
            assertReads(reader, pooled, 0, 1, "first");
            assertReads(reader, pooled, second, 2, "second, later in the same buffer");
            assertReads(reader, other, 0, 3, "another direct buffer");
            assertReads(reader, heap, 5, 4, "a heap buffer, at an offset");
            assertReads(reader, composite, 0, 5, "spread over two components");
        }
    }

    @Test
    void aSlicedDirectMessageIsReadWhereTheSliceStarts() {
        ByteBuf direct = kept(ByteBufAllocator.DEFAULT.directBuffer());
        direct.writeZero(24);
        write(direct, 6, "in a slice");
        ByteBuf slice = direct.slice(24, direct.readableBytes() - 24);
        TeleportReader reader = new TeleportReader();
        assertReads(reader, direct, 24, 6, "in a slice");
        assertReads(reader, slice, 0, 6, "in a slice");
    }

    @Test
    void stringsLongerThanTheScratchArrayDecodeFromNativeMemory() {
        String longer = "x".repeat(TeleportReader.SCRATCH_LIMIT) + "é" + "y".repeat(100);
        ByteBuf direct = kept(ByteBufAllocator.DEFAULT.directBuffer());
        write(direct, 7, "short");
        int second = direct.writerIndex();
        write(direct, 8, longer);
        TeleportReader reader = new TeleportReader();
        assertReads(reader, direct, 0, 7, "short");
        assertReads(reader, direct, second, 8, longer);
        assertReads(reader, direct, 0, 7, "short");
    }
}
