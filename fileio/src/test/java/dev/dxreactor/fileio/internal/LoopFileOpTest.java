package dev.dxreactor.fileio.internal;

import dev.dxreactor.fileio.FileIoException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A request whose loop ended while the kernel still had it: the memory the kernel may write into or read from is
 * kept, not freed, and the caller still gets its cancellation.
 */
class LoopFileOpTest {

    /** A request that only ends: its kernel part is not needed here. */
    private static final class Request extends LoopFileOp {
        Request(FileOpKind kind, ByteBuf source, CompletableFuture<ByteBuf> result) {
            super(kind, Path.of("some-file"), PooledByteBufAllocator.DEFAULT, 0, source, false, 1 << 20,
                    FileCompletion.toFuture(result));
        }

        @Override
        long transferred() {
            return 0;
        }

        @Override
        public void abandon(String why) {
            failWith(Errno.ECANCELED.exception(path, why));
        }
    }

    @Test
    void aReadLeftToTheKernelKeepsItsBufferAndIsCancelled() {
        CompletableFuture<ByteBuf> result = new CompletableFuture<>();
        Request read = new Request(FileOpKind.READ_ALL, null, result);
        read.readBuffer(4096);
        ByteBuf target = read.io;
        int keptBefore = KernelHeldMemory.kept();

        read.abandonToKernel("event loop shut down");
        read.deliver();

        assertThat(target.refCnt()).as("the buffer the kernel may still write into").isOne();
        assertThat(KernelHeldMemory.kept()).isEqualTo(keptBefore + 1);
        assertThatThrownBy(result::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(FileIoException.class).hasMessageContaining("event loop shut down");
    }

    @Test
    void aWriteFromTheCallersBufferLeftToTheKernelKeepsAReferenceTheCallerCannotTakeBack() {
        ByteBuf source = Unpooled.directBuffer(64).writeZero(64);
        CompletableFuture<ByteBuf> result = new CompletableFuture<>();
        Request write = new Request(FileOpKind.WRITE_ALL, source, result);

        write.abandonToKernel("event loop shut down");
        write.deliver();
        source.release();

        assertThat(source.refCnt()).as("the caller's buffer the kernel may still read").isOne();
        assertThat(result).isCompletedExceptionally();
    }

    @Test
    void aRequestThatNeverReachedTheKernelReleasesItsBuffer() {
        CompletableFuture<ByteBuf> result = new CompletableFuture<>();
        Request read = new Request(FileOpKind.READ_ALL, null, result);
        read.readBuffer(4096);
        ByteBuf target = read.io;

        read.abandon("closed");
        read.deliver();

        assertThat(target.refCnt()).isZero();
        assertThat(result).isCompletedExceptionally();
    }
}
