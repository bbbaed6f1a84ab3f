package dev.dxreactor.fileio.internal;

import dev.dxreactor.fileio.BatchRead;
import dev.dxreactor.fileio.FileIoConfig;
import dev.dxreactor.fileio.PlatformFiles;
import dev.dxreactor.fileio.WriteOp;
import dev.dxreactor.fileio.WriteResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * File I/O as io_uring submissions on event loops running Netty's {@code IoUringIoHandler}: every loop of the
 * configured group when the group runs io_uring, else a single loop thread of its own. Each loop has one
 * {@link UringFileRing} with an equal share of the handle limit. A batch is split over the loops, one task per
 * loop, and proceeds a phase at a time (open, read, close), so it costs a handful of {@code io_uring_enter} calls
 * per loop, not one per file. A single request from a loop's own thread stays on that loop.
 */
public final class IoUringFiles implements PlatformFiles {

    /** Largest submission queue of the backend's own loop. */
    private static final int OWN_RING_MAX = 4096;

    private final UringFileRing[] rings;
    private final EventLoopGroup ownedGroup;
    private final int maxReadBytes;
    private final String placement;
    private final AtomicInteger next = new AtomicInteger();

    private IoUringFiles(UringFileRing[] rings, EventLoopGroup ownedGroup, int maxReadBytes, String placement) {
        this.rings = rings;
        this.ownedGroup = ownedGroup;
        this.maxReadBytes = maxReadBytes;
        this.placement = placement;
    }

    /** Why io_uring cannot be used here, or {@code null} when it can. */
    static Throwable unavailabilityCause() {
        return IoUring.unavailabilityCause();
    }

    /** Whether {@code group} runs io_uring, so file operations can share its loops. */
    static boolean runsIoUring(EventLoopGroup group) {
        return group instanceof IoEventLoopGroup io && io.isCompatible(IoUringIoHandle.class);
    }

    static IoUringFiles create(FileIoConfig config) {
        IoUring.ensureAvailability();
        EventLoopGroup given = config.eventLoopGroup().orElse(null);
        if (given != null && runsIoUring(given)) {
            List<IoEventLoop> loops = new ArrayList<>();
            for (EventExecutor executor : given) {
                loops.add((IoEventLoop) executor);
            }
            return new IoUringFiles(register(loops, config.maxOpenFiles()), null, config.maxReadBytes(),
                    "on the " + loops.size() + " loop(s) of the given event loop group");
        }
        // Netty's default ring has 128 entries; a phase of a batch with more files in flight than that would take
        // one io_uring_enter per 128 submissions.
        int ringSize = Math.min(OWN_RING_MAX, Integer.highestOneBit(Math.max(128, config.maxOpenFiles()) - 1) << 1);
        MultiThreadIoEventLoopGroup own = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("dx-fileio-uring", true),
                IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setRingSize(ringSize)));
        try {
            UringFileRing[] rings = register(List.of(own.next()), config.maxOpenFiles());
            String why = given == null ? "on its own io_uring loop (no event loop group given)"
                    : "on its own io_uring loop (the given event loops do not run io_uring)";
            return new IoUringFiles(rings, own, config.maxReadBytes(), why);
        } catch (RuntimeException e) {
            own.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** One ring per loop, each with an equal share of the limit, so that together they never exceed it. */
    private static UringFileRing[] register(List<IoEventLoop> loops, int maxOpenFiles) {
        int count = Math.min(loops.size(), maxOpenFiles);
        UringFileRing[] rings = new UringFileRing[count];
        for (int i = 0; i < count; i++) {
            int share = maxOpenFiles / count + (i < maxOpenFiles % count ? 1 : 0);
            rings[i] = UringFileRing.register(loops.get(i), share);
        }
        return rings;
    }

    /** Where the ring runs, for the selection log line. */
    String placement() {
        return placement;
    }

    /** The caller's own loop when it is one of ours, else the next loop in turn. */
    private UringFileRing ring() {
        for (UringFileRing ring : rings) {
            if (ring.loop().inEventLoop()) {
                return ring;
            }
        }
        return rings[Math.floorMod(next.getAndIncrement(), rings.length)];
    }

    /** Hands {@code ops} out over the loops, one task per loop. */
    private void spread(List<UringFileOp> ops) {
        if (rings.length == 1) {
            rings[0].execute(ops);
            return;
        }
        int first = Math.floorMod(next.getAndIncrement(), rings.length);
        List<List<UringFileOp>> parts = new ArrayList<>(rings.length);
        for (int i = 0; i < rings.length; i++) {
            parts.add(new ArrayList<>(ops.size() / rings.length + 1));
        }
        for (int i = 0; i < ops.size(); i++) {
            parts.get((first + i) % rings.length).add(ops.get(i));
        }
        for (int i = 0; i < rings.length; i++) {
            if (!parts.get(i).isEmpty()) {
                rings[i].execute(parts.get(i));
            }
        }
    }

    @Override
    public CompletableFuture<ByteBuf> read(Path path, long offset, int length, ByteBufAllocator alloc) {
        FallbackFiles.checkRange(offset, length);
        CompletableFuture<ByteBuf> result = new CompletableFuture<>();
        ring().execute(List.of(UringFileOp.readRange(path, offset, length, alloc, maxReadBytes, FileCompletion.toFuture(result))));
        return result;
    }

    @Override
    public CompletableFuture<Long> write(Path path, long offset, ByteBuf data) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset < 0: " + offset);
        }
        CompletableFuture<Long> result = new CompletableFuture<>();
        ring().execute(List.of(UringFileOp.write(UringFileOp.Kind.WRITE_RANGE, path, offset, data, false,
                FileCompletion.toCount(result))));
        return result;
    }

    @Override
    public CompletableFuture<ByteBuf> readAll(Path path, ByteBufAllocator alloc) {
        CompletableFuture<ByteBuf> result = new CompletableFuture<>();
        ring().execute(List.of(UringFileOp.readAll(path, alloc, maxReadBytes, FileCompletion.toFuture(result))));
        return result;
    }

    @Override
    public CompletableFuture<Long> writeAll(Path path, ByteBuf data, boolean fsync) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        ring().execute(List.of(UringFileOp.write(UringFileOp.Kind.WRITE_ALL, path, 0, data, fsync, FileCompletion.toCount(result))));
        return result;
    }

    @Override
    public CompletableFuture<BatchRead> batchRead(List<Path> paths, ByteBufAllocator alloc) {
        CompletableFuture<BatchRead> result = new CompletableFuture<>();
        if (paths.isEmpty()) {
            result.complete(new BatchRead(List.of()));
            return result;
        }
        List<FileCompletion> completions = FileCompletion.batchRead(paths, result);
        List<UringFileOp> ops = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            ops.add(UringFileOp.readAll(paths.get(i), alloc, maxReadBytes, completions.get(i)));
        }
        spread(ops);
        return result;
    }

    @Override
    public CompletableFuture<List<WriteResult>> batchWrite(List<WriteOp> writes) {
        CompletableFuture<List<WriteResult>> result = new CompletableFuture<>();
        if (writes.isEmpty()) {
            result.complete(List.of());
            return result;
        }
        List<FileCompletion> completions = FileCompletion.batchWrite(writes, result);
        List<UringFileOp> ops = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            WriteOp write = writes.get(i);
            ops.add(UringFileOp.write(UringFileOp.Kind.WRITE_ALL, write.path(), 0, write.data(), write.fsync(),
                    completions.get(i)));
        }
        spread(ops);
        return result;
    }

    @Override
    public String backendName() {
        return "io_uring";
    }

    @Override
    public int openFiles() {
        int open = 0;
        for (UringFileRing ring : rings) {
            open += ring.openFiles();
        }
        return open;
    }

    @Override
    public int peakOpenFiles() {
        // The sum of the loops' own peaks: at least the true peak, and never above the limit.
        int peak = 0;
        for (UringFileRing ring : rings) {
            peak += ring.peakOpenFiles();
        }
        return peak;
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        CompletableFuture<?>[] each = new CompletableFuture<?>[rings.length];
        for (int i = 0; i < rings.length; i++) {
            each[i] = rings[i].closeAsync();
        }
        CompletableFuture<Void> closed = CompletableFuture.allOf(each);
        if (ownedGroup == null) {
            return closed;
        }
        return closed.thenCompose(ignored -> {
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            ownedGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).addListener(f -> stopped.complete(null));
            return stopped;
        });
    }
}
