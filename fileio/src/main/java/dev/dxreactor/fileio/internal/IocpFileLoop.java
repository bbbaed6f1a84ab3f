package dev.dxreactor.fileio.internal;

import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.Win32File;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.Winsock;
import dev.dxreactor.transport.iocp.channel.IocpIoEvent;
import dev.dxreactor.transport.iocp.channel.IocpIoHandle;
import dev.dxreactor.transport.iocp.channel.IocpOverlappedOp;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.util.collection.LongObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.concurrent.RejectedExecutionException;

/**
 * The file backend's handle on one IOCP event loop ({@code IocpIoHandler}): files are associated with the loop's
 * completion port, their {@code ReadFile}/{@code WriteFile} OVERLAPPEDs come from the handler, which counts them as
 * outstanding on this registration, and their packets come back to {@link #handle}, found by OVERLAPPED address.
 *
 * <p>{@code maxOpenFiles} slots ({@link FileSlots}) bound the files open at once; a request without a free slot
 * waits in arrival order. Closing fails what waits, cancels what is in flight ({@code CancelIoEx}) and keeps the registration,
 * and so the buffers of the cancelled transfers, until the last packet has arrived. Loop thread only, except
 * the counters.
 */
final class IocpFileLoop implements IocpIoHandle, LoopFiles.FileLoop<IocpFileOp> {

    private static final Logger LOG = LoggerFactory.getLogger(IocpFileLoop.class);

    private final IoEventLoop loop;
    private final FileSlots<IocpFileOp> slots;
    private final LongObjectHashMap<IocpFileOp> inFlight = new LongObjectHashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private IoRegistration registration;
    private IocpOverlappedOp.Source ops;
    private WindowsKernel kernel;
    private boolean closing;
    private final Consumer<IocpFileOp> starter = this::start;

    private IocpFileLoop(IoEventLoop loop, int maxOpenFiles) {
        this.loop = loop;
        this.slots = new FileSlots<>(maxOpenFiles);
    }

    /** Registers a file handle on {@code loop}, which must run {@code IocpIoHandler}. */
    static IocpFileLoop register(IoEventLoop loop, int maxOpenFiles) {
        IocpFileLoop handle = new IocpFileLoop(loop, maxOpenFiles);
        io.netty.util.concurrent.Future<IoRegistration> future = loop.register(handle);
        if (!loop.inEventLoop()) {
            future.syncUninterruptibly();
        }
        if (!future.isSuccess()) {
            throw new IllegalStateException("cannot register on " + loop, future.cause());
        }
        handle.registration = future.getNow();
        handle.ops = IocpOverlappedOp.source(handle.registration, handle);
        handle.kernel = handle.ops.kernel();
        loop.terminationFuture().addListener(ignored -> handle.loopTerminated());
        return handle;
    }

    @Override
    public IoEventLoop loop() {
        return loop;
    }

    WindowsKernel kernel() {
        return kernel;
    }

    @Override
    public int openFiles() {
        return slots.openFiles();
    }

    @Override
    public int peakOpenFiles() {
        return slots.peakOpenFiles();
    }

    boolean isClosing() {
        return closing;
    }

    /** Not a socket: the handler has nothing of its own to cancel; {@link #close} cancels per file. */
    @Override
    public long socket() {
        return Winsock.INVALID_HANDLE;
    }

    /** Starts or queues {@code ops}, from any thread. */
    @Override
    public void execute(List<IocpFileOp> ops) {
        if (loop.inEventLoop()) {
            ops.forEach(this::enqueue);
        } else {
            try {
                loop.execute(() -> ops.forEach(this::enqueue));
            } catch (RejectedExecutionException e) {
                ops.forEach(op -> {
                    op.abandon("event loop shut down");
                    op.deliver();
                });
            }
        }
    }

    /** Offers {@code batch} to this loop, from any thread: the loop claims its requests while it has room. */
    @Override
    public void share(SharedBatch<IocpFileOp> batch) {
        if (loop.inEventLoop()) {
            takeShare(batch);
        } else {
            try {
                loop.execute(() -> takeShare(batch));
            } catch (RejectedExecutionException e) {
                abandonUnclaimed(batch, "event loop shut down");
            }
        }
    }

    private void takeShare(SharedBatch<IocpFileOp> batch) {
        if (closing) {
            abandonUnclaimed(batch, "closed");
            return;
        }
        slots.share(batch);
        slots.startWaiting(starter);
    }

    private static void abandonUnclaimed(SharedBatch<IocpFileOp> batch, String why) {
        IocpFileOp op;
        while ((op = batch.claim()) != null) {
            op.abandon(why);
            op.deliver();
        }
    }

    /** Begins closing, from any thread; completes once nothing is in flight. */
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

    private void enqueue(IocpFileOp op) {
        if (closing) {
            op.abandon("closed");
            op.deliver();
        } else if (slots.hasFree()) {
            start(op);
        } else {
            slots.await(op);
        }
    }

    private void start(IocpFileOp op) {
        op.start(this, slots.take(op));
    }

    void associate(long file) throws WindowsException {
        ops.associate(file);
    }

    /**
     * Issues {@code ReadFile} or {@code WriteFile} for {@code op}: {@code ERROR_SUCCESS} when its packet will come,
     * else the Win32 error it failed with at once (no packet).
     */
    int submit(IocpFileOp op, boolean write, MemorySegment memory, long position) {
        IocpOverlappedOp overlapped = ops.acquire(write);
        try {
            if (write) {
                kernel.writeFile(op.fileHandle(), memory, position, overlapped.overlapped());
            } else {
                kernel.readFile(op.fileHandle(), memory, position, overlapped.overlapped());
            }
        } catch (WindowsException e) {
            overlapped.notSubmitted();
            return e.win32Code();
        }
        overlapped.submitted();
        op.inFlight = overlapped.address();
        inFlight.put(overlapped.address(), op);
        return Win32Error.ERROR_SUCCESS;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        IocpIoEvent completion = (IocpIoEvent) event;
        IocpFileOp op = inFlight.remove(IocpOverlappedOp.address(completion));
        if (op == null) {
            LOG.warn("dx-fileio: a packet for no transfer in flight ({})", completion);
            return;
        }
        op.completed(completion.status(), completion.bytes());
    }

    /** Frees the op's slot, hands its result over and starts the next waiting request. */
    void finish(IocpFileOp op) {
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

    /** Called by the event loop when it shuts down with this handle registered; its packets still come. */
    @Override
    public void close() {
        beginClose();
    }

    private void beginClose() {
        if (closing) {
            return;
        }
        closing = true;
        for (IocpFileOp queued : slots.drainWaiting()) {
            queued.abandon("closed");
            queued.deliver();
        }
        for (IocpFileOp op : slots.holders()) {
            if (op.inFlight != 0 && op.fileHandle() != Win32File.INVALID_HANDLE_VALUE) {
                try {
                    kernel.cancelIoEx(op.fileHandle(), null);
                } catch (WindowsException e) {
                    LOG.debug("dx-fileio: CancelIoEx of {} failed", op.path, e);
                }
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
        if (registration.isValid()) {
            registration.cancel();
        }
        closed.complete(null);
    }

    /**
     * After the loop's thread has ended: a request whose packet never came (the handler gave up waiting for it
     * at shutdown) ends as aborted, so that no caller waits forever.
     */
    private void loopTerminated() {
        if (closed.isDone()) {
            return;
        }
        for (IocpFileOp op : slots.clear()) {
            op.abandon("event loop shut down");
            op.deliver();
        }
        closed.complete(null);
    }
}
