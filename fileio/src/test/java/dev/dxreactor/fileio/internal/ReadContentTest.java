package dev.dxreactor.fileio.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadContentTest {

    private final ByteBufAllocator alloc = new UnpooledByteBufAllocator(true);

    @Test
    void aFileFillingAQuarterOfTheFirstReadKeepsThatBuffer() {
        ByteBuf read = filled(FirstReadSize.MIN, FirstReadSize.MIN / 4);

        ByteBuf content = ReadContent.handOver(read, FirstReadSize.MIN / 4, alloc, false);

        assertThat(content).isSameAs(read);
        assertThat(content.readableBytes()).isEqualTo(FirstReadSize.MIN / 4);
        content.release();
    }

    @Test
    void aSmallerFileIsCopiedIntoAnExactBufferAndTheReadBufferReleased() {
        int length = FirstReadSize.MIN / 4 - 1;
        ByteBuf read = filled(FirstReadSize.MIN, length);
        byte[] expected = ByteBufUtil.getBytes(read, 0, length);

        ByteBuf content = ReadContent.handOver(read, length, alloc, false);

        assertThat(content).isNotSameAs(read);
        assertThat(read.refCnt()).isZero();
        assertThat(content.capacity()).isEqualTo(length);
        assertThat(content.isDirect()).isTrue();
        assertThat(ByteBufUtil.getBytes(content)).isEqualTo(expected);
        content.release();
    }

    @Test
    void aStagingBufferIsAlwaysCopiedIntoTheCallersAllocator() {
        ByteBufAllocator heapOnly = new UnpooledByteBufAllocator(false);
        ByteBuf staged = filled(64, 64);
        byte[] expected = ByteBufUtil.getBytes(staged, 0, 64);

        ByteBuf content = ReadContent.handOver(staged, 64, heapOnly, true);

        assertThat(content).isNotSameAs(staged);
        assertThat(content.alloc()).isSameAs(heapOnly);
        assertThat(staged.refCnt()).isZero();
        assertThat(ByteBufUtil.getBytes(content)).isEqualTo(expected);
        content.release();
    }

    @Test
    void anEmptyReadGivesAnEmptyBuffer() {
        ByteBuf read = filled(FirstReadSize.MIN, 0);

        ByteBuf content = ReadContent.handOver(read, 0, alloc, false);

        assertThat(content.readableBytes()).isZero();
        assertThat(read.refCnt()).isZero();
        content.release();
    }

    private ByteBuf filled(int capacity, int length) {
        ByteBuf buf = alloc.directBuffer(capacity);
        for (int i = 0; i < length; i++) {
            buf.setByte(i, i * 31 + 7);
        }
        return buf;
    }
}
