package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.WindowsKernel;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** One AFD_POLL event loop and helpers to act on it and read its counters from a test thread. */
final class LoopHarness implements AutoCloseable {

    final MultiThreadIoEventLoopGroup group;
    final IoEventLoop loop;
    final EmulatedWindowsKernel kernel = (EmulatedWindowsKernel) WindowsKernel.current();

    private volatile AfdPollIoHandler handler;

    LoopHarness(AfdPollConfig config) {
        IoHandlerFactory factory = AfdPollIoHandler.newFactory(config);
        group = new MultiThreadIoEventLoopGroup(1, executor -> {
            IoHandler created = factory.newHandler(executor);
            handler = (AfdPollIoHandler) created;
            return created;
        });
        loop = (IoEventLoop) group.next();
    }

    LoopHarness() {
        this(AfdPollConfig.defaults());
    }

    IoRegistration register(RecordingHandle handle) throws Exception {
        return loop.register(handle).get(10, TimeUnit.SECONDS);
    }

    <T> T onLoop(Callable<T> action) throws Exception {
        return loop.submit(action).get(10, TimeUnit.SECONDS);
    }

    void onLoop(ThrowingRunnable action) throws Exception {
        onLoop(() -> {
            action.run();
            return null;
        });
    }

    /**
     * Waits until the loop has dequeued again, so changes made in earlier tasks were reconciled. A task alone is
     * not enough: tasks queued back to back may run in one batch, with no I/O step between them.
     */
    void iterate() throws Exception {
        long before = onLoop(() -> handler.stats().dequeues());
        while (onLoop(() -> handler.stats().dequeues()) <= before) {
            Thread.onSpinWait();
        }
    }

    AfdPollIoHandler.Stats stats(IoRegistration registration) throws Exception {
        return onLoop(() -> ((AfdPollIoHandler) registration.attachment()).stats());
    }

    /** The handler's own registration object behind the loop's wrapper. */
    AfdPollRegistration unwrap(IoRegistration registration, RecordingHandle handle) throws Exception {
        return onLoop(() -> ((AfdPollIoHandler) registration.attachment()).registrationOf(handle));
    }

    /** Goes round the loop until {@code condition} holds, at most {@code seconds}. */
    void until(Callable<Boolean> condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + seconds + " s");
            }
            Thread.sleep(5);
            iterate();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
