package dev.dxreactor.fileio.internal;

import io.netty.channel.IoEventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A backend's part on one event loop, whatever the kernel interface: a request takes a slot of the loop's share of
 * the handle limit or waits for one ({@link FileSlots}), batches shared with the other loops are claimed while there
 * is room, a finished request frees its slot for the next, and closing fails what waits, has the kernel cancel what is
 * in flight and completes once the last request has ended. A subclass adds how a request starts, how the kernel
 * cancels and what is freed at the end: {@link UringFileRing} (io_uring submissions), {@link IocpFileLoop}
 * (overlapped file calls). State is touched on the loop only, but for the counts and the entry points that say so.
 *
 * @param <O> the backend's file operation
 */
abstract class FileLoopBase<O extends FileLoopBase.Op> implements LoopFiles.FileLoop<O> {

    /** A file operation as its loop sees it. */
    interface Op {
        /** The slot it holds while it runs. */
        int slot();

        Path path();

        /**
         * Ends it as cancelled for {@code why} when nothing of it is with the kernel any more (it never started, or
         * the loop is gone), releasing what it holds.
         */
        void abandon(String why);

        /**
         * Ends it as cancelled for {@code why} while the kernel may still be working on it (its loop ended before the
         * completion came): the memory the kernel may still read or write is kept for good, the rest released.
         */
        void abandonToKernel(String why);

        /** Hands its result, or its error, to the caller. */
        void deliver();
    }

    static final String LOOP_GONE = "event loop shut down";
    private static final Logger LOG = LoggerFactory.getLogger(FileLoopBase.class);

    final IoEventLoop loop;
    final FileSlots<O> slots;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Consumer<O> starter;
    private boolean closing;

    FileLoopBase(IoEventLoop loop, int maxOpenFiles) {
        this.loop = loop;
        this.slots = new FileSlots<>(maxOpenFiles);
        this.starter = op -> start(op, slots.take(op));
    }

    /** Starts {@code op}, which holds {@code slot} now; it ends in {@link #finish}. */
    abstract void start(O op, int slot);

    /** Closing: has the kernel cancel every request of {@code running} that it holds; their completions still come. */
    abstract void cancelInFlight(List<O> running);

    /** Nothing runs any more: frees what the loop holds. Called once. */
    abstract void releaseResources();

    @Override
    public final IoEventLoop loop() {
        return loop;
    }

    @Override
    public final int openFiles() {
        return slots.openFiles();
    }

    @Override
    public final int peakOpenFiles() {
        return slots.peakOpenFiles();
    }

    final boolean isClosing() {
        return closing;
    }

    final void fileOpened() {
        slots.fileOpened();
    }

    final void fileClosed() {
        slots.fileClosed();
    }

    @Override
    public final void execute(List<O> ops) {
        if (loop.inEventLoop()) {
            ops.forEach(this::enqueue);
        } else {
            try {
                loop.execute(() -> ops.forEach(this::enqueue));
            } catch (RejectedExecutionException e) {
                ops.forEach(op -> abandon(op, LOOP_GONE));
            }
        }
    }

    @Override
    public final void share(SharedBatch<O> batch) {
        if (loop.inEventLoop()) {
            takeShare(batch);
        } else {
            try {
                loop.execute(() -> takeShare(batch));
            } catch (RejectedExecutionException e) {
                abandonUnclaimed(batch, LOOP_GONE);
            }
        }
    }

    /** Begins closing, from any thread; completes once nothing is in flight and the loop's resources are freed. */
    @Override
    public final CompletableFuture<Void> closeAsync() {
        if (loop.inEventLoop()) {
            beginClose();
        } else {
            try {
                loop.execute(this::beginClose);
            } catch (RejectedExecutionException e) {
                // The loop is gone; its own shutdown already closed this handle.
                closed.complete(null);
            }
        }
        return closed;
    }

    private void enqueue(O op) {
        if (closing) {
            abandon(op, "closed");
        } else if (slots.hasFree()) {
            starter.accept(op);
        } else {
            slots.await(op);
        }
    }

    private void takeShare(SharedBatch<O> batch) {
        if (closing) {
            abandonUnclaimed(batch, "closed");
            return;
        }
        slots.share(batch);
        slots.startWaiting(starter);
    }

    private static <O extends Op> void abandonUnclaimed(SharedBatch<O> batch, String why) {
        O op;
        while ((op = batch.claim()) != null) {
            abandon(op, why);
        }
    }

    private static void abandon(Op op, String why) {
        op.abandon(why);
        op.deliver();
    }

    /** Frees the op's slot, hands its result over and starts what waits for a slot. */
    final void finish(O op) {
        slots.release(op.slot());
        try {
            op.deliver();
        } catch (RuntimeException e) {
            LOG.warn("dx-fileio: a completion callback for {} failed", op.path(), e);
        }
        if (!closing) {
            slots.startWaiting(starter);
        } else if (slots.active() == 0) {
            release();
        }
    }

    /** Fails what waits, cancels what runs; the close completes when the last running request has finished. */
    final void beginClose() {
        if (closing) {
            return;
        }
        closing = true;
        for (O queued : slots.drainWaiting()) {
            abandon(queued, "closed");
        }
        cancelInFlight(slots.holders());
        if (slots.active() == 0) {
            release();
        }
    }

    private void release() {
        if (closed.isDone()) {
            return;
        }
        releaseResources();
        closed.complete(null);
    }

    /**
     * After the loop's thread has ended: a request whose completion never came (the loop gave up waiting for it at
     * shutdown), one still waiting for a slot and one left unclaimed in a shared batch end as cancelled, so that no
     * caller waits forever. The last two matter because a loop asked to stop between two turns ends without closing
     * its handles, so {@link #beginClose} may never have run. Nothing the kernel may still be using is freed on this
     * path: neither the loop's resources nor the buffers of the requests that were running.
     */
    final void loopTerminated() {
        if (closed.isDone()) {
            return;
        }
        for (O queued : slots.drainWaiting()) {
            abandon(queued, LOOP_GONE);
        }
        List<O> running = slots.clear();
        for (O op : running) {
            op.abandonToKernel(LOOP_GONE);
            op.deliver();
        }
        if (!running.isEmpty()) {
            LOG.warn("dx-fileio: the event loop ended with {} file request(s) still running; their buffers are kept,"
                    + " not freed, as the kernel may still be using them", running.size());
        }
        closed.complete(null);
    }
}
