package dev.dxreactor.fileio.internal;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;

class FileLoopBaseTest {

    /**
     * Netty ends a loop asked to stop between two turns without closing its handles, so the loop's own termination
     * is the last chance for what it never started: every request, running, waiting or unclaimed, ends exactly once,
     * and only those that were running leave their memory to the kernel.
     */
    @Test
    void aLoopThatEndsWithoutClosingEndsEveryRequestItHeldOrCouldClaim() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        IoEventLoop loop = (IoEventLoop) group.next();
        AtomicIntegerArray delivered = new AtomicIntegerArray(10);
        AtomicIntegerArray leftToKernel = new AtomicIntegerArray(10);
        StalledLoop files = new StalledLoop(loop, 4);
        files.share(new SharedBatch<>(6, i -> new Request(i, delivered, leftToKernel)));
        files.execute(List.of(new Request(6, delivered, leftToKernel), new Request(7, delivered, leftToKernel), new Request(8, delivered, leftToKernel),
                new Request(9, delivered, leftToKernel)));
        loop.submit(() -> { }).sync();
        assertThat(files.openFiles()).as("requests running, their completions never to come").isEqualTo(4);

        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        files.loopTerminated();

        int running = 0;
        for (int i = 0; i < delivered.length(); i++) {
            assertThat(delivered.get(i)).as("deliveries of request %d", i).isOne();
            running += leftToKernel.get(i);
        }
        assertThat(running).as("requests whose memory was left to the kernel").isEqualTo(4);
        assertThat(files.closeAsync()).isCompleted();
    }

    /** A loop whose requests start and never complete, as when the kernel's answers stop coming. */
    private static final class StalledLoop extends FileLoopBase<Request> {

        StalledLoop(IoEventLoop loop, int maxOpenFiles) {
            super(loop, maxOpenFiles);
        }

        @Override
        void start(Request op, int slot) {
            op.slot = slot;
            fileOpened();
        }

        @Override
        void cancelInFlight(List<Request> running) {
        }

        @Override
        void releaseResources() {
        }
    }

    private static final class Request implements FileLoopBase.Op {
        private final int index;
        private final AtomicIntegerArray delivered;
        private final AtomicIntegerArray leftToKernel;
        int slot = -1;

        Request(int index, AtomicIntegerArray delivered, AtomicIntegerArray leftToKernel) {
            this.index = index;
            this.delivered = delivered;
            this.leftToKernel = leftToKernel;
        }

        @Override
        public int slot() {
            return slot;
        }

        @Override
        public Path path() {
            return Path.of("request-" + index);
        }

        @Override
        public void abandon(String why) {
        }

        @Override
        public void abandonToKernel(String why) {
            assertThat(slot).as("a request left to the kernel holds a slot").isNotNegative();
            leftToKernel.incrementAndGet(index);
        }

        @Override
        public void deliver() {
            delivered.incrementAndGet(index);
        }
    }
}
