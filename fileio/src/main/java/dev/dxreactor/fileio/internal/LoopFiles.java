package dev.dxreactor.fileio.internal;

import dev.dxreactor.fileio.BatchRead;
import dev.dxreactor.fileio.FileIoConfig;
import dev.dxreactor.fileio.PlatformFiles;
import dev.dxreactor.fileio.WriteOp;
import dev.dxreactor.fileio.WriteResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandle;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * What the backends that run on event loops (io_uring, iocp) share: the loops and each one's share of the handle
 * limit, which loop takes a request (the caller's own when it is one of them, else the next in turn), a batch offered
 * to every loop at once ({@link SharedBatch}), and the figures and close over all of them. A backend adds only how its
 * operations are made ({@link #readAllOp} and the others) and what its loops are.
 *
 * @param <O> the backend's file operation
 * @param <L> the backend's part on one loop
 */
abstract class LoopFiles<O, L extends LoopFiles.FileLoop<O>> implements PlatformFiles {

    /** A backend's part on one event loop: runs operations there within its share of the handle limit. */
    interface FileLoop<O> {
        IoEventLoop loop();

        /** Starts or queues {@code ops}, from any thread. */
        void execute(List<O> ops);

        /** Claims requests from {@code batch} while it has room, from any thread; other loops claim the rest. */
        void share(SharedBatch<O> batch);

        int openFiles();

        int peakOpenFiles();

        /** Begins closing, from any thread; completes once nothing is in flight. */
        CompletableFuture<Void> closeAsync();
    }

    /**
     * The loops a backend runs on and why: {@code ownedGroup} is the group made for it, {@code null} when the loops
     * are the configured group's.
     */
    record Placement<L>(List<L> loops, EventLoopGroup ownedGroup, String description) {
    }

    private final List<L> loops;
    private final EventLoopGroup ownedGroup;
    private final String placement;
    private final int maxReadBytes;
    private final AtomicInteger next = new AtomicInteger();

    LoopFiles(Placement<L> placement, int maxReadBytes) {
        this.loops = List.copyOf(placement.loops());
        this.ownedGroup = placement.ownedGroup();
        this.placement = placement.description();
        this.maxReadBytes = maxReadBytes;
    }

    /**
     * Every loop of the configured group when it runs {@code handleType} (the group serves sockets and files
     * alike), else one loop of a group of its own from {@code ownGroup}; each loop registered with its share of
     * {@code config.maxOpenFiles()}, so that together they never exceed it.
     *
     * @param transport  the transport's name, for the placement's description
     * @param handleType what a loop of a suitable group takes
     */
    static <L> Placement<L> place(FileIoConfig config, String transport, Class<? extends IoHandle> handleType,
                                  Supplier<EventLoopGroup> ownGroup, BiFunction<IoEventLoop, Integer, L> register) {
        EventLoopGroup given = config.eventLoopGroup().orElse(null);
        if (given != null && runs(given, handleType)) {
            List<IoEventLoop> loops = new ArrayList<>();
            for (EventExecutor executor : given) {
                loops.add((IoEventLoop) executor);
            }
            return new Placement<>(register(loops, config.maxOpenFiles(), register), null,
                    "on the " + loops.size() + " loop(s) of the given event loop group");
        }
        EventLoopGroup own = ownGroup.get();
        try {
            List<L> loops = register(List.of((IoEventLoop) own.next()), config.maxOpenFiles(), register);
            return new Placement<>(loops, own, given == null
                    ? "on its own " + transport + " loop (no event loop group given)"
                    : "on its own " + transport + " loop (the given event loops do not run " + transport + ")");
        } catch (RuntimeException e) {
            own.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** Whether {@code group}'s loops take {@code handleType}, so file operations can share them. */
    private static boolean runs(EventLoopGroup group, Class<? extends IoHandle> handleType) {
        return group instanceof IoEventLoopGroup io && io.isCompatible(handleType);
    }

    private static <L> List<L> register(List<IoEventLoop> loops, int maxOpenFiles,
                                        BiFunction<IoEventLoop, Integer, L> register) {
        int count = Math.min(loops.size(), maxOpenFiles);
        List<L> registered = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int share = maxOpenFiles / count + (i < maxOpenFiles % count ? 1 : 0);
            registered.add(register.apply(loops.get(i), share));
        }
        return registered;
    }

    abstract O readAllOp(Path path, ByteBufAllocator alloc, int maxReadBytes, FileCompletion completion);

    abstract O readRangeOp(Path path, long offset, int length, ByteBufAllocator alloc, int maxReadBytes,
                           FileCompletion completion);

    abstract O writeOp(FileOpKind kind, Path path, long offset, ByteBuf data, boolean fsync,
                       FileCompletion completion);

    /** Where the loops run, for the selection log line. */
    String placement() {
        return placement;
    }

    /** The caller's own loop when it is one of these, else the next loop in turn. */
    private L loop() {
        for (L loop : loops) {
            if (loop.loop().inEventLoop()) {
                return loop;
            }
        }
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    /**
     * Runs the {@code count} requests {@code requestAt} makes: on one loop all at once, on several offered to every
     * loop, each making and starting the requests it claims.
     */
    private void spread(int count, IntFunction<O> requestAt) {
        if (loops.size() == 1) {
            List<O> ops = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ops.add(requestAt.apply(i));
            }
            loops.getFirst().execute(ops);
            return;
        }
        SharedBatch<O> batch = new SharedBatch<>(count, requestAt);
        for (L loop : loops) {
            loop.share(batch);
        }
    }

    @Override
    public CompletableFuture<ByteBuf> read(Path path, long offset, int length, ByteBufAllocator alloc) {
        FallbackFiles.checkRange(offset, length);
        CompletableFuture<ByteBuf> result = new CompletableFuture<>();
        loop().execute(List.of(readRangeOp(path, offset, length, alloc, maxReadBytes,
                FileCompletion.toFuture(result))));
        return result;
    }

    @Override
    public CompletableFuture<Long> write(Path path, long offset, ByteBuf data) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset < 0: " + offset);
        }
        CompletableFuture<Long> result = new CompletableFuture<>();
        loop().execute(List.of(writeOp(FileOpKind.WRITE_RANGE, path, offset, data, false,
                FileCompletion.toCount(result))));
        return result;
    }

    @Override
    public CompletableFuture<ByteBuf> readAll(Path path, ByteBufAllocator alloc) {
        CompletableFuture<ByteBuf> result = new CompletableFuture<>();
        loop().execute(List.of(readAllOp(path, alloc, maxReadBytes, FileCompletion.toFuture(result))));
        return result;
    }

    @Override
    public CompletableFuture<Long> writeAll(Path path, ByteBuf data, boolean fsync) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        loop().execute(List.of(writeOp(FileOpKind.WRITE_ALL, path, 0, data, fsync, FileCompletion.toCount(result))));
        return result;
    }

    @Override
    public CompletableFuture<BatchRead> batchRead(List<Path> paths, ByteBufAllocator alloc) {
        CompletableFuture<BatchRead> result = new CompletableFuture<>();
        if (paths.isEmpty()) {
            result.complete(new BatchRead(List.of()));
            return result;
        }
        // A copy, as the loops make the requests after this returns.
        List<Path> files = List.copyOf(paths);
        IntFunction<FileCompletion> completions = FileCompletion.batchRead(files, result);
        spread(files.size(), i -> readAllOp(files.get(i), alloc, maxReadBytes, completions.apply(i)));
        return result;
    }

    @Override
    public CompletableFuture<List<WriteResult>> batchWrite(List<WriteOp> writes) {
        CompletableFuture<List<WriteResult>> result = new CompletableFuture<>();
        if (writes.isEmpty()) {
            result.complete(List.of());
            return result;
        }
        List<WriteOp> ops = List.copyOf(writes);
        IntFunction<FileCompletion> completions = FileCompletion.batchWrite(ops, result);
        spread(ops.size(), i -> {
            WriteOp write = ops.get(i);
            return writeOp(FileOpKind.WRITE_ALL, write.path(), 0, write.data(), write.fsync(), completions.apply(i));
        });
        return result;
    }

    @Override
    public int openFiles() {
        int open = 0;
        for (L loop : loops) {
            open += loop.openFiles();
        }
        return open;
    }

    @Override
    public int peakOpenFiles() {
        // The sum of the loops' own peaks: at least the true peak, and never above the limit.
        int peak = 0;
        for (L loop : loops) {
            peak += loop.peakOpenFiles();
        }
        return peak;
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        CompletableFuture<?>[] each = new CompletableFuture<?>[loops.size()];
        for (int i = 0; i < loops.size(); i++) {
            each[i] = loops.get(i).closeAsync();
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
