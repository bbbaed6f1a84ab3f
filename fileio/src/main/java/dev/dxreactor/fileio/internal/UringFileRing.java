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

/**
 * The file backend's handle on one io_uring event loop: every open/statx/read/write/fsync/close goes through
 * Netty's {@code IoUringIoHandler} as an SQE of this registration, and its completion comes back to
 * {@link #handle}. State is touched on the loop only.
 *
 * <p>Slot scratch memory (path, statx buffer) and every buffer of an operation stay alive until that operation's
 * last completion; on close, outstanding submissions are cancelled and their files closed before the memory is
 * freed.
 */
final class UringFileRing extends FileLoopBase<UringFileOp> implements IoUringIoHandle {

    private static final Logger LOG = LoggerFactory.getLogger(UringFileRing.class);
    /** Tag of cancel submissions; their completions carry nothing to route. */
    private static final long CANCEL_TAG = -1;

    private final MemorySegment[] scratch;
    private final Arena arena = Arena.ofShared();
    private final FirstReadSize firstReadSize = new FirstReadSize();
    private IoRegistration registration;
    /** The loop itself is shutting down: completions still arrive while it drains, new submissions would not. */
    private boolean loopDying;

    private UringFileRing(IoEventLoop loop, int maxOpenFiles) {
        super(loop, maxOpenFiles);
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
    void start(UringFileOp op, int slot) {
        MemorySegment memory = scratch[slot];
        if (memory == null) {
            memory = arena.allocate(UringOps.SLOT_BYTES, 8);
            scratch[slot] = memory;
        }
        op.start(this, slot, memory);
    }

    FirstReadSize firstReadSize() {
        return firstReadSize;
    }

    void submit(UringFileOp op, IoUringIoOps sqe) {
        long id = loopDying ? 0 : registration.submit(sqe);
        if (id == 0) {
            // The loop is going away: a new submission might never complete, so the op ends here; its last
            // submission has completed, so the kernel no longer touches its memory.
            op.abandon(LOOP_GONE);
            finish(op);
            return;
        }
        op.inFlight = id;
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

    @Override
    void cancelInFlight(List<UringFileOp> running) {
        for (UringFileOp op : running) {
            // A CLOSE is left to finish: cancelling it could leak the descriptor.
            if (op.inFlight != 0 && !op.isClosingFile()) {
                registration.submit(UringOps.cancel(op.inFlight, CANCEL_TAG));
            }
        }
    }

    @Override
    void releaseResources() {
        registration.cancel();
        arena.close();
    }
}
