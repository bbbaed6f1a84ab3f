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
import dev.dxreactor.transport.iocp.channel.Iocp;
import dev.dxreactor.transport.iocp.channel.IocpIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * File I/O as overlapped {@code ReadFile}/{@code WriteFile} on event loops running the IOCP transport's
 * {@code IocpIoHandler}: every loop of the configured group when the group runs IOCP, else a single loop thread of
 * its own. Each loop has one {@link IocpFileLoop} with an equal share of the handle limit; a batch is split over
 * the loops, one task per loop, and issued from the loop without a thread pool. A single request from a loop's
 * own thread stays on that loop. Errors carry Win32 names ({@code ERROR_FILE_NOT_FOUND}, ...).
 */
public final class IocpFiles implements PlatformFiles {

    private final IocpFileLoop[] handles;
    private final EventLoopGroup ownedGroup;
    private final int maxReadBytes;
    private final String placement;
    private final AtomicInteger next = new AtomicInteger();

    private IocpFiles(IocpFileLoop[] handles, EventLoopGroup ownedGroup, int maxReadBytes, String placement) {
        this.handles = handles;
        this.ownedGroup = ownedGroup;
        this.maxReadBytes = maxReadBytes;
        this.placement = placement;
    }

    /** Why the IOCP transport cannot run here, or {@code null} when it can. */
    static Throwable unavailabilityCause() {
        return Iocp.unavailabilityCause();
    }

    /** Whether {@code group} runs the IOCP transport, so file operations can share its loops. */
    static boolean runsIocp(EventLoopGroup group) {
        return group instanceof IoEventLoopGroup io && io.isCompatible(IocpFileLoop.class);
    }

    static IocpFiles create(FileIoConfig config) {
        Iocp.ensureAvailability();
        EventLoopGroup given = config.eventLoopGroup().orElse(null);
        if (given != null && runsIocp(given)) {
            List<IoEventLoop> loops = new ArrayList<>();
            for (EventExecutor executor : given) {
                loops.add((IoEventLoop) executor);
            }
            return new IocpFiles(register(loops, config.maxOpenFiles()), null, config.maxReadBytes(),
                    "on the " + loops.size() + " loop(s) of the given event loop group");
        }
        MultiThreadIoEventLoopGroup own = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("dx-fileio-iocp", true), IocpIoHandler.newFactory());
        try {
            IocpFileLoop[] handles = register(List.of(own.next()), config.maxOpenFiles());
            String why = given == null ? "on its own IOCP loop (no event loop group given)"
                    : "on its own IOCP loop (the given event loops do not run IOCP)";
            return new IocpFiles(handles, own, config.maxReadBytes(), why);
        } catch (RuntimeException e) {
            own.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** One handle per loop, each with an equal share of the limit, so that together they never exceed it. */
    private static IocpFileLoop[] register(List<IoEventLoop> loops, int maxOpenFiles) {
        int count = Math.min(loops.size(), maxOpenFiles);
        IocpFileLoop[] handles = new IocpFileLoop[count];
        for (int i = 0; i < count; i++) {
            int share = maxOpenFiles / count + (i < maxOpenFiles % count ? 1 : 0);
            handles[i] = IocpFileLoop.register(loops.get(i), share);
        }
        return handles;
    }

    /** Where the handles run, for the selection log line. */
    String placement() {
        return placement;
    }

    /** The caller's own loop when it is one of ours, else the next loop in turn. */
    private IocpFileLoop handle() {
        for (IocpFileLoop h : handles) {
            if (h.loop().inEventLoop()) {
                return h;
            }
        }
        return handles[Math.floorMod(next.getAndIncrement(), handles.length)];
    }

    /** Hands {@code ops} out over the loops, one task per loop. */
    private void spread(List<IocpFileOp> ops) {
        if (handles.length == 1) {
            handles[0].execute(ops);
            return;
        }
        int first = Math.floorMod(next.getAndIncrement(), handles.length);
        List<List<IocpFileOp>> parts = new ArrayList<>(handles.length);
        for (int i = 0; i < handles.length; i++) {
            parts.add(new ArrayList<>(ops.size() / handles.length + 1));
        }
        for (int i = 0; i < ops.size(); i++) {
            parts.get((first + i) % handles.length).add(ops.get(i));
        }
        for (int i = 0; i < handles.length; i++) {
            if (!parts.get(i).isEmpty()) {
                handles[i].execute(parts.get(i));
            }
        }
    }

    @Override
    public CompletableFuture<ByteBuf> read(Path path, long offset, int length, ByteBufAllocator alloc) {
        FallbackFiles.checkRange(offset, length);
        CompletableFuture<ByteBuf> result = new CompletableFuture<>();
        handle().execute(List.of(IocpFileOp.readRange(path, offset, length, alloc, maxReadBytes, FileCompletion.toFuture(result))));
        return result;
    }

    @Override
    public CompletableFuture<Long> write(Path path, long offset, ByteBuf data) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset < 0: " + offset);
        }
        CompletableFuture<Long> result = new CompletableFuture<>();
        handle().execute(List.of(IocpFileOp.write(IocpFileOp.Kind.WRITE_RANGE, path, offset, data, false,
                FileCompletion.toCount(result))));
        return result;
    }

    @Override
    public CompletableFuture<ByteBuf> readAll(Path path, ByteBufAllocator alloc) {
        CompletableFuture<ByteBuf> result = new CompletableFuture<>();
        handle().execute(List.of(IocpFileOp.readAll(path, alloc, maxReadBytes, FileCompletion.toFuture(result))));
        return result;
    }

    @Override
    public CompletableFuture<Long> writeAll(Path path, ByteBuf data, boolean fsync) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        handle().execute(List.of(IocpFileOp.write(IocpFileOp.Kind.WRITE_ALL, path, 0, data, fsync, FileCompletion.toCount(result))));
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
        List<IocpFileOp> ops = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            ops.add(IocpFileOp.readAll(paths.get(i), alloc, maxReadBytes, completions.get(i)));
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
        List<IocpFileOp> ops = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            WriteOp write = writes.get(i);
            ops.add(IocpFileOp.write(IocpFileOp.Kind.WRITE_ALL, write.path(), 0, write.data(), write.fsync(),
                    completions.get(i)));
        }
        spread(ops);
        return result;
    }

    @Override
    public String backendName() {
        return "iocp";
    }

    @Override
    public int openFiles() {
        int open = 0;
        for (IocpFileLoop h : handles) {
            open += h.openFiles();
        }
        return open;
    }

    @Override
    public int peakOpenFiles() {
        // The sum of the loops' own peaks: at least the true peak, and never above the limit.
        int peak = 0;
        for (IocpFileLoop h : handles) {
            peak += h.peakOpenFiles();
        }
        return peak;
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        CompletableFuture<?>[] each = new CompletableFuture<?>[handles.length];
        for (int i = 0; i < handles.length; i++) {
            each[i] = handles[i].closeAsync();
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
