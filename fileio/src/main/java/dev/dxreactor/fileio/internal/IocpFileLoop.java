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

/**
 * The file backend's handle on one IOCP event loop ({@code IocpIoHandler}): files are associated with the loop's
 * completion port, their {@code ReadFile}/{@code WriteFile} OVERLAPPEDs come from the handler, which counts them as
 * outstanding on this registration, and their packets come back to {@link #handle}, found by OVERLAPPED address.
 *
 * <p>Closing cancels what is in flight ({@code CancelIoEx}) and keeps the registration, and so the buffers of the
 * cancelled transfers, until the last packet has arrived. Loop thread only.
 */
final class IocpFileLoop extends FileLoopBase<IocpFileOp> implements IocpIoHandle {

    private static final Logger LOG = LoggerFactory.getLogger(IocpFileLoop.class);

    private final LongObjectHashMap<IocpFileOp> inFlight = new LongObjectHashMap<>();
    private IoRegistration registration;
    private IocpOverlappedOp.Source ops;
    private WindowsKernel kernel;

    private IocpFileLoop(IoEventLoop loop, int maxOpenFiles) {
        super(loop, maxOpenFiles);
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

    WindowsKernel kernel() {
        return kernel;
    }

    /** Not a socket: the handler has nothing of its own to cancel; {@link #close} cancels per file. */
    @Override
    public long socket() {
        return Winsock.INVALID_HANDLE;
    }

    @Override
    void start(IocpFileOp op, int slot) {
        op.start(this, slot);
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

    /** Called by the event loop when it shuts down with this handle registered; its packets still come. */
    @Override
    public void close() {
        beginClose();
    }

    @Override
    void cancelInFlight(List<IocpFileOp> running) {
        for (IocpFileOp op : running) {
            if (op.inFlight != 0 && op.fileHandle() != Win32File.INVALID_HANDLE_VALUE) {
                try {
                    kernel.cancelIoEx(op.fileHandle(), null);
                } catch (WindowsException e) {
                    LOG.debug("dx-fileio: CancelIoEx of {} failed", op.path, e);
                }
            }
        }
    }

    @Override
    void releaseResources() {
        if (registration.isValid()) {
            registration.cancel();
        }
    }
}
