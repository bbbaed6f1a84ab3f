package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.OverlappedEntry;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.WsaBuf;
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
 * A Netty 4.2 {@link IoHandler} on a Windows completion port and AFD_POLL: the readiness model of NIO without
 * the JDK's Selector (no {@code SelectionKey} sets, no wakeup pipe, no JNI per select).
 *
 * <pre>{@code
 * EventLoopGroup group = new MultiThreadIoEventLoopGroup(AfdPollIoHandler.newFactory());
 * new ServerBootstrap().group(group)
 *         .channel(AfdPollServerSocketChannel.class)
 *         .childHandler(new MyInitializer())
 *         .bind(8080).sync();
 * }</pre>
 *
 * <p>Each {@link #run} first reconciles every registration whose desired interest changed since the last
 * iteration (arm, cancel-and-rearm, or leave unarmed: one poll per socket at most), then removes up to
 * {@link AfdPollConfig#maxEventsPerDequeue()} completion packets with one dequeue, blocking only when the loop
 * has nothing else to do, and hands each poll's events to its handle. {@link #wakeup()} posts a packet.
 * {@link #prepareToDestroy()} closes every channel and {@link #destroy()} drains the packets of every poll
 * still out before the poll memory, the helper handles and the port are released.
 */
public final class AfdPollIoHandler implements IoHandler {

    static final InternalLogger LOG = InternalLoggerFactory.getInstance(AfdPollIoHandler.class);

    static final long HELPER_KEY = 2;
    static final long SOCKET_KEY = 3;

    /** WSABUFs per gathering write. */
    static final int MAX_GATHER = 1024;

    private final CompletionPortLoop loop;
    /** Allocated once: {@link #run} hands it to every dequeue. */
    private final CompletionPortLoop.Packets completions = this::process;
    private final AfdPollConfig config;
    private final WindowsKernel kernel;
    private final long port;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment entries;
    private final MemorySegment wsaBufs;
    private final LongObjectHashMap<AfdPollRegistration> inFlight = new LongObjectHashMap<>();
    private final ArrayDeque<AfdPollRegistration> changed = new ArrayDeque<>();
    private final Set<AfdPollRegistration> registrations = new LinkedHashSet<>();
    private final PollBlocks blocks = new PollBlocks();
    private final HelperCarriers helpers;
    private final ReadMemoryPool readMemory;
    private boolean destroyed;

    private long submissions;
    private long cancels;
    private long packets;

    private AfdPollIoHandler(ThreadAwareExecutor executor, AfdPollConfig config) {
        this.config = config;
        this.kernel = AfdPoll.kernel();
        try {
            this.port = kernel.createCompletionPort();
        } catch (WindowsException e) {
            throw new IllegalStateException("cannot create a completion port for an AFD_POLL event loop", e);
        }
        this.entries = arena.allocate(OverlappedEntry.SIZE * config.maxEventsPerDequeue(), 8);
        this.wsaBufs = arena.allocate(WsaBuf.SIZE * MAX_GATHER, 8);
        this.loop = new CompletionPortLoop(executor, kernel, port, entries);
        this.helpers = new HelperCarriers(kernel, port, HELPER_KEY, config.socketsPerHelper());
        this.readMemory = config.readMemoryLimit() > 0
                ? new ReadMemoryPool(this, config.readMemoryLimit(), config.readChunkSize(), config.rearmBatch(),
                        config.readChunksPerConnection())
                : null;
    }

    /** A factory with {@link AfdPollConfig#defaults()}. */
    public static IoHandlerFactory newFactory() {
        return newFactory(AfdPollConfig.defaults());
    }

    /**
     * @throws UnsupportedOperationException when the transport cannot run here (see {@link AfdPoll})
     */
    public static IoHandlerFactory newFactory(AfdPollConfig config) {
        Objects.requireNonNull(config, "config");
        AfdPoll.ensureAvailability();
        return executor -> new AfdPollIoHandler(executor, config);
    }

    @Override
    public int run(IoHandlerContext context) {
        if (readMemory != null) {
            readMemory.unparkBatch();
        }
        reconcile();
        // A registration that queued itself again while reconciling (a hangup repeated without a poll) is due on
        // the next pass: waiting for the port would hold it back until an unrelated packet or the timeout.
        return loop.run(context, changed.isEmpty(), completions);
    }

    private void reconcile() {
        // Only what changed before this pass: a registration that queues itself again goes round next iteration.
        for (int n = changed.size(); n > 0; n--) {
            changed.poll().reconcile();
        }
    }

    private boolean process(long address, int status, int bytesTransferred) {
        AfdPollRegistration registration = inFlight.remove(address);
        if (registration == null) {
            LOG.warn("a completion packet for no outstanding poll (0x{}); ignored", Long.toHexString(address));
            return false;
        }
        packets++;
        return registration.completed(status);
    }

    @Override
    public IoRegistration register(IoHandle handle) {
        checkInLoop("register");
        if (destroyed) {
            throw new IllegalStateException("the AFD_POLL event loop is shut down");
        }
        AfdPollIoHandle afdHandle = (AfdPollIoHandle) handle;
        AfdPollRegistration registration = new AfdPollRegistration(this, afdHandle);
        registrations.add(registration);
        afdHandle.registered();
        return registration;
    }

    @Override
    public void wakeup() {
        loop.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return AfdPollIoHandle.class.isAssignableFrom(handleType);
    }

    @Override
    public void prepareToDestroy() {
        for (AfdPollRegistration registration : new ArrayList<>(registrations)) {
            try {
                registration.handle().close();
            } catch (Exception e) {
                LOG.debug("closing a channel at shutdown failed", e);
            }
        }
    }

    @Override
    public void destroy() {
        // The loop may end without calling prepareToDestroy (a shutdown that starts between its checks).
        prepareToDestroy();
        destroyed = true;
        for (AfdPollRegistration registration : new ArrayList<>(registrations)) {
            registration.cancel();
        }
        drainOutstandingPolls();
        helpers.closeAll();
        try {
            kernel.closeHandle(port);
        } catch (WindowsException e) {
            LOG.debug("closing the completion port failed", e);
        }
        if (blocks.release()) {
            arena.close();
        } else {
            LOG.warn("{} AFD poll(s) never delivered their packet; their memory is kept rather than freed under them",
                    blocks.inUse());
        }
    }

    private void drainOutstandingPolls() {
        loop.drain(() -> !inFlight.isEmpty(), completions);
    }

    void checkInLoop(String operation) {
        loop.checkInLoop(operation);
    }

    void changed(AfdPollRegistration registration) {
        changed.add(registration);
    }

    void unregister(AfdPollRegistration registration) {
        registrations.remove(registration);
        if (readMemory != null) {
            readMemory.forget(registration);
        }
    }

    void inFlight(long address, AfdPollRegistration registration) {
        inFlight.put(address, registration);
    }

    void notInFlight(long address) {
        inFlight.remove(address);
    }

    void countSubmission() {
        submissions++;
    }

    void countCancel() {
        cancels++;
    }

    WindowsKernel kernel() {
        return kernel;
    }

    long port() {
        return port;
    }

    AfdPollConfig config() {
        return config;
    }

    PollBlocks blocks() {
        return blocks;
    }

    HelperCarriers helpers() {
        return helpers;
    }

    /** The loop's bounded read memory, or {@code null} when {@link AfdPollConfig#readMemoryLimit()} is off. */
    ReadMemoryPool readMemory() {
        return readMemory;
    }

    /** Scratch WSABUFs for one gathering write at a time (loop thread only). */
    MemorySegment wsaBufs() {
        return wsaBufs;
    }

    /** The registration of {@code handle}, or {@code null}; for diagnostics, on the loop thread. */
    AfdPollRegistration registrationOf(AfdPollIoHandle handle) {
        for (AfdPollRegistration registration : registrations) {
            if (registration.handle() == handle) {
                return registration;
            }
        }
        return null;
    }

    /**
     * Counters of this loop, for tests and diagnostics; read on the loop thread. {@code longestReadMemoryWait}:
     * the most read chunks granted to other sockets between one socket parking for read memory and its own next
     * chunk.
     */
    Stats stats() {
        return new Stats(submissions, cancels, packets, loop.dequeues(), registrations.size(), blocks.inUse(),
                inFlight.size(), helpers.helpers(), helpers.maxSocketsOnOneHelper(),
                readMemory == null ? 0 : readMemory.held(), readMemory == null ? 0 : readMemory.parkedCount(),
                readMemory == null ? 0 : readMemory.longestWait());
    }

    record Stats(long submissions, long cancels, long packets, long dequeues, int registrations, int blocksInUse,
            int pollsInFlight, int helpers, int maxSocketsOnOneHelper, long readMemoryHeld, int parked,
            long longestReadMemoryWait) {
    }
}
