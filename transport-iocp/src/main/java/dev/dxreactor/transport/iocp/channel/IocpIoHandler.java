package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.OverlappedEntry;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.socket.CompletionPortLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.concurrent.ThreadAwareExecutor;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A Netty 4.2 {@link IoHandler} on a Windows I/O completion port: the completion model (AcceptEx, ConnectEx,
 * WSARecv, WSASend), as libuv and .NET use it.
 *
 * <pre>{@code
 * EventLoopGroup group = new MultiThreadIoEventLoopGroup(IocpIoHandler.newFactory());
 * new ServerBootstrap().group(group)
 *         .channel(IocpServerSocketChannel.class)
 *         .childHandler(new MyInitializer())
 *         .bind(8080).sync();
 * }</pre>
 *
 * <p>One port per loop. {@link #run} removes up to {@link IocpConfig#maxEventsPerDequeue()} packets with one
 * {@code GetQueuedCompletionStatusEx}, blocking only when the loop has nothing else to do, finds each packet's
 * operation by its OVERLAPPED address and hands it to the operation's handle. {@link #wakeup()} posts a packet.
 * Each registration counts its outstanding operations; an operation's memory (and the buffers it uses) is
 * released only when its packet has arrived, and a registration is forgotten only after its last packet, also
 * after a close. {@link #destroy()} closes every channel, cancels what is left ({@code CancelIoEx}) and dequeues
 * until nothing is outstanding before it releases the memory and the port.
 */
public final class IocpIoHandler implements IoHandler {

    static final InternalLogger LOG = InternalLoggerFactory.getInstance(IocpIoHandler.class);

    static final long SOCKET_KEY = 2;

    private final CompletionPortLoop loop;
    /** Allocated once: {@link #run} hands it to every dequeue. */
    private final CompletionPortLoop.Packets completions = this::process;
    private final WindowsKernel kernel;
    private final long port;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment entries;
    private final LongObjectHashMap<IocpOperation> inFlight = new LongObjectHashMap<>();
    private final Set<IocpRegistration> registrations = new LinkedHashSet<>();
    private final ArrayDeque<IocpOperation> smallPool = new ArrayDeque<>();
    private final ArrayDeque<IocpOperation> gatherPool = new ArrayDeque<>();
    private int operationsAllocated;
    private boolean destroyed;
    private long packets;

    private IocpIoHandler(ThreadAwareExecutor executor, IocpConfig config) {
        this.kernel = Iocp.kernel();
        try {
            this.port = kernel.createCompletionPort(config.concurrencyHint());
        } catch (WindowsException e) {
            throw new IllegalStateException("cannot create a completion port for an IOCP event loop", e);
        }
        this.entries = arena.allocate(OverlappedEntry.SIZE * config.maxEventsPerDequeue(), 8);
        this.loop = new CompletionPortLoop(executor, kernel, port, entries);
    }

    /** A factory with {@link IocpConfig#defaults()}. */
    public static IoHandlerFactory newFactory() {
        return newFactory(IocpConfig.defaults());
    }

    /**
     * @throws UnsupportedOperationException when the transport cannot run here (see {@link Iocp})
     */
    public static IoHandlerFactory newFactory(IocpConfig config) {
        Objects.requireNonNull(config, "config");
        Iocp.ensureAvailability();
        return executor -> new IocpIoHandler(executor, config);
    }

    @Override
    public int run(IoHandlerContext context) {
        return loop.run(context, true, completions);
    }

    private boolean process(long address, int status, int bytesTransferred) {
        IocpOperation op = inFlight.remove(address);
        if (op == null) {
            LOG.warn("a completion packet for no outstanding operation (0x{}); ignored", Long.toHexString(address));
            return false;
        }
        packets++;
        try {
            return op.registration.completed(op, status, bytesTransferred);
        } catch (Throwable t) {
            LOG.warn("handling a completion failed", t);
            return true;
        }
    }

    @Override
    public IoRegistration register(IoHandle handle) {
        checkInLoop("register");
        if (destroyed) {
            throw new IllegalStateException("the IOCP event loop is shut down");
        }
        IocpIoHandle iocpHandle = (IocpIoHandle) handle;
        IocpRegistration registration = new IocpRegistration(this, iocpHandle);
        registrations.add(registration);
        if (iocpHandle instanceof AbstractIocpChannel.AbstractIocpUnsafe unsafe) {
            unsafe.attach(registration);
        }
        iocpHandle.registered();
        return registration;
    }

    @Override
    public void wakeup() {
        loop.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return IocpIoHandle.class.isAssignableFrom(handleType);
    }

    @Override
    public void prepareToDestroy() {
        for (IocpRegistration registration : new ArrayList<>(registrations)) {
            if (registration.isValid()) {
                try {
                    registration.handle().close();
                } catch (Exception e) {
                    LOG.debug("closing a channel at shutdown failed", e);
                }
            }
        }
        // Each close waits for its cancelled operations' packets; taking them now lets the closes finish while
        // the loop still runs the tasks they schedule (deregistration).
        drainOutstanding();
    }

    @Override
    public void destroy() {
        // The loop may end without calling prepareToDestroy (a shutdown that starts between its checks).
        prepareToDestroy();
        destroyed = true;
        for (IocpRegistration registration : new ArrayList<>(registrations)) {
            if (registration.isValid()) {
                registration.cancel();
            } else {
                registration.cancelOutstanding();
            }
        }
        drainOutstanding();
        try {
            kernel.closeHandle(port);
        } catch (WindowsException e) {
            LOG.debug("closing the completion port failed", e);
        }
        if (inFlight.isEmpty()) {
            smallPool.clear();
            gatherPool.clear();
            arena.close();
        } else {
            LOG.warn("{} overlapped operation(s) never delivered their packet; their memory is kept rather than "
                    + "freed under the kernel", inFlight.size());
        }
    }

    private void drainOutstanding() {
        loop.drain(() -> !inFlight.isEmpty(), completions);
    }

    void checkInLoop(String operation) {
        loop.checkInLoop(operation);
    }

    /** Forgets {@code registration} once it is cancelled and owes no packet. */
    void settle(IocpRegistration registration) {
        if (!registration.isValid() && registration.outstanding() == 0) {
            registrations.remove(registration);
        }
    }

    IocpOperation acquire(boolean gather) {
        IocpOperation op = (gather ? gatherPool : smallPool).poll();
        if (op == null) {
            op = new IocpOperation(arena.allocate(gather ? IocpOperation.GATHER_BLOCK : IocpOperation.SMALL_BLOCK, 8),
                    gather);
            operationsAllocated++;
        }
        return op;
    }

    void recycle(IocpOperation op) {
        op.release(kernel);
        (op.isGather() ? gatherPool : smallPool).push(op);
    }

    void inFlight(IocpOperation op) {
        inFlight.put(op.address(), op);
    }

    WindowsKernel kernel() {
        return kernel;
    }

    long port() {
        return port;
    }

    /** Counters of this loop, for tests and diagnostics; read on the loop thread. */
    Stats stats() {
        return new Stats(registrations.size(), inFlight.size(), operationsAllocated,
                smallPool.size() + gatherPool.size(), packets, loop.dequeues());
    }

    record Stats(int registrations, int operationsInFlight, int operationsAllocated, int operationsPooled,
            long packets, long dequeues) {
    }
}
