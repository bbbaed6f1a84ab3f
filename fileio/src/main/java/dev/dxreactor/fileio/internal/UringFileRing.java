package dev.dxreactor.fileio.internal;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoOps;
import io.netty.channel.unix.FileDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The file backend's handle on one io_uring event loop: every open/statx/read/write/fsync/close goes through
 * Netty's {@code IoUringIoHandler} as an SQE of this registration, and its completion comes back to
 * {@link #handle}. State is touched on the loop only.
 *
 * <p>{@code maxOpenFiles} slots ({@link FileSlots}) bound the files open at once; a request without a free slot
 * waits in arrival order and starts when a slot frees. Slot scratch memory (path, statx buffer) and every buffer of an
 * operation stay alive until that operation's last completion; on close, outstanding submissions are cancelled
 * and their files closed before the memory is freed.
 */
final class UringFileRing implements IoUringIoHandle, LoopFiles.FileLoop<UringFileOp> {

    private static final Logger LOG = LoggerFactory.getLogger(UringFileRing.class);
    /** Tag of cancel submissions; their completions carry nothing to route. */
    private static final long CANCEL_TAG = -1;

    private final IoEventLoop loop;
    private final FileSlots<UringFileOp> slots;
    private final MemorySegment[] scratch;
    private final Arena arena = Arena.ofShared();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private IoRegistration registration;
    private boolean closing;
    private final Consumer<UringFileOp> starter = this::start;
    /** The loop itself is shutting down: completions still arrive while it drains, new submissions would not. */
    private boolean loopDying;

    private UringFileRing(IoEventLoop loop, int maxOpenFiles) {
        this.loop = loop;
        this.slots = new FileSlots<>(maxOpenFiles);
        this.scratch = new MemorySegment[maxOpenFiles];
    }

    /** Registers a ring handle on {@code loop}, which must run Netty's {@code IoUringIoHandler}. */
    static UringFileRing register(IoEventLoop loop, int maxOpenFiles) {
        UringFileRing ring = new UringFileRing(loop, maxOpenFiles);
        io.netty.util.concurrent.Future<IoRegistration> future = loop.register(ring);
        if (!loop.inEventLoop()) {
            future.syncUninterruptibly();
        }
        if (!future.isSuccess()) {
            ring.arena.close();
            throw new IllegalStateException("cannot register on " + loop, future.cause());
        }
        ring.registration = future.getNow();
        loop.terminationFuture().addListener(ignored -> ring.loopTerminated());
        return ring;
    }

    @Override
    public IoEventLoop loop() {
        return loop;
    }

    @Override
    public int openFiles() {
        return slots.openFiles();
    }

    @Override
    public int peakOpenFiles() {
        return slots.peakOpenFiles();
    }

    /** Starts or queues {@code ops}, from any thread. */
    @Override
    public void execute(List<UringFileOp> ops) {
        if (loop.inEventLoop()) {
            ops.forEach(this::enqueue);
        } else {
            try {
                loop.execute(() -> ops.forEach(this::enqueue));
            } catch (RejectedExecutionException e) {
                ops.forEach(op -> {
                    op.abandonWithoutRing();
                    op.deliver();
                });
            }
        }
    }

    /** Offers {@code batch} to this loop, from any thread: the loop claims its requests while it has room. */
    @Override
    public void share(SharedBatch<UringFileOp> batch) {
        if (loop.inEventLoop()) {
            takeShare(batch);
        } else {
            try {
                loop.execute(() -> takeShare(batch));
            } catch (RejectedExecutionException e) {
                abandonUnclaimed(batch);
            }
        }
    }

    private void takeShare(SharedBatch<UringFileOp> batch) {
        if (closing) {
            abandonUnclaimed(batch);
            return;
        }
        slots.share(batch);
        slots.startWaiting(starter);
    }

    private static void abandonUnclaimed(SharedBatch<UringFileOp> batch) {
        UringFileOp op;
        while ((op = batch.claim()) != null) {
            op.abandonWithoutRing();
            op.deliver();
        }
    }

    /** Begins closing, from any thread; completes once nothing is in flight and the memory is freed. */
    @Override
    public CompletableFuture<Void> closeAsync() {
        if (loop.inEventLoop()) {
            beginClose();
        } else {
            try {
                loop.execute(this::beginClose);
            } catch (RejectedExecutionException e) {
                // The loop is gone; its own shutdown already called close().
                closed.complete(null);
            }
        }
        return closed;
    }

    boolean isClosing() {
        return closing;
    }

    private void enqueue(UringFileOp op) {
        if (closing) {
            op.abandonWithoutRing();
            op.deliver();
        } else if (slots.hasFree()) {
            start(op);
        } else {
            slots.await(op);
        }
    }

    private void start(UringFileOp op) {
        int slot = slots.take(op);
        MemorySegment memory = scratch[slot];
        if (memory == null) {
            memory = arena.allocate(UringOps.SLOT_BYTES, 8);
            scratch[slot] = memory;
        }
        op.start(this, slot, memory);
    }

    void submit(UringFileOp op, IoUringIoOps sqe) {
        long id = loopDying ? 0 : registration.submit(sqe);
        if (id == 0) {
            // The loop is going away: a new submission might never complete, so the op ends here; its last
            // submission has completed, so the kernel no longer touches its memory.
            op.abandonWithoutRing();
            finish(op);
            return;
        }
        op.inFlight = id;
    }

    /** Frees the op's slot, hands its result over and starts the next waiting request. */
    void finish(UringFileOp op) {
        slots.release(op.slot());
        try {
            op.deliver();
        } catch (RuntimeException e) {
            LOG.warn("dx-fileio: a completion callback for {} failed", op.path, e);
        }
        if (!closing) {
            slots.startWaiting(starter);
        }
        if (closing && slots.active() == 0) {
            release();
        }
    }

    void fileOpened() {
        slots.fileOpened();
    }

    void fileClosed() {
        slots.fileClosed();
    }

    /** Closes a descriptor whose CLOSE can no longer be submitted. */
    static void closeNow(int fd) {
        try {
            new FileDescriptor(fd).close();
        } catch (IOException e) {
            LOG.debug("dx-fileio: closing fd {} failed", fd, e);
        }
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        IoUringIoEvent completion = (IoUringIoEvent) event;
        long tag = completion.userData();
        if (tag == CANCEL_TAG) {
            return;
        }
        UringFileOp op = slots.at((int) tag);
        if (op == null) {
            LOG.warn("dx-fileio: completion for an empty slot {} ({})", tag, completion);
            return;
        }
        op.complete(completion.res());
    }

    /** Called by the event loop when it shuts down with this handle still registered. */
    @Override
    public void close() {
        loopDying = true;
        beginClose();
    }

    /**
     * After the loop's thread has ended: an op whose completion never came (Netty tore the ring down after its
     * drain timed out) ends as cancelled, its buffer released with the ring closed. The slots' scratch memory is
     * not freed on this path, so no request the kernel was still finishing can write into freed memory.
     */
    private void loopTerminated() {
        if (closed.isDone()) {
            return;
        }
        for (UringFileOp op : slots.clear()) {
            op.abandonWithoutRing();
            op.deliver();
        }
        closed.complete(null);
    }

    private void beginClose() {
        if (closing) {
            return;
        }
        closing = true;
        for (UringFileOp queued : slots.drainWaiting()) {
            queued.abandonWithoutRing();
            queued.deliver();
        }
        for (UringFileOp op : slots.holders()) {
            // A CLOSE is left to finish: cancelling it could leak the descriptor.
            if (op.inFlight != 0 && !op.isClosingFile()) {
                registration.submit(UringOps.cancel(op.inFlight, CANCEL_TAG));
            }
        }
        if (slots.active() == 0) {
            release();
        }
    }

    private void release() {
        if (closed.isDone()) {
            return;
        }
        registration.cancel();
        arena.close();
        closed.complete(null);
    }
}
