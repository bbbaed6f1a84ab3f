package dev.dxreactor.fileio.internal;

import dev.dxreactor.fileio.BatchRead;
import dev.dxreactor.fileio.FileIoConfig;
import dev.dxreactor.fileio.FileIoException;
import dev.dxreactor.fileio.PlatformFiles;
import dev.dxreactor.fileio.ReadResult;
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
import io.netty.util.concurrent.DefaultThreadFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * File I/O as io_uring submissions on one event loop running Netty's {@code IoUringIoHandler}: the configured
 * group's loop when the group runs io_uring, else a single loop thread of its own. A batch of N files is queued
 * to the loop in one task and proceeds a phase at a time (open, statx, read, close), so it costs a handful of
 * {@code io_uring_enter} calls, not N.
 */
public final class IoUringFiles implements PlatformFiles {

    private final UringFileRing ring;
    private final EventLoopGroup ownedGroup;
    private final int maxReadBytes;
    private final String placement;

    private IoUringFiles(UringFileRing ring, EventLoopGroup ownedGroup, int maxReadBytes, String placement) {
        this.ring = ring;
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
            IoEventLoop loop = ((IoEventLoopGroup) given).next();
            return new IoUringFiles(UringFileRing.register(loop, config.maxOpenFiles()), null,
                    config.maxReadBytes(), "on the given event loop " + loop);
        }
        MultiThreadIoEventLoopGroup own = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("dx-fileio-uring", true), IoUringIoHandler.newFactory());
        try {
            UringFileRing ring = UringFileRing.register(own.next(), config.maxOpenFiles());
            String why = given == null ? "on its own io_uring loop (no event loop group given)"
                    : "on its own io_uring loop (the given event loops do not run io_uring)";
            return new IoUringFiles(ring, own, config.maxReadBytes(), why);
        } catch (RuntimeException e) {
            own.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** Where the ring runs, for the selection log line. */
    String placement() {
        return placement;
    }

    @Override
    public CompletableFuture<ByteBuf> read(Path path, long offset, int length, ByteBufAllocator alloc) {
        FallbackFiles.checkRange(offset, length);
        CompletableFuture<ByteBuf> result = new CompletableFuture<>();
        ring.execute(List.of(UringFileOp.readRange(path, offset, length, alloc, maxReadBytes, toFuture(result))));
        return result;
    }

    @Override
    public CompletableFuture<Long> write(Path path, long offset, ByteBuf data) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset < 0: " + offset);
        }
        CompletableFuture<Long> result = new CompletableFuture<>();
        ring.execute(List.of(UringFileOp.write(UringFileOp.Kind.WRITE_RANGE, path, offset, data, false,
                toCount(result))));
        return result;
    }

    @Override
    public CompletableFuture<ByteBuf> readAll(Path path, ByteBufAllocator alloc) {
        CompletableFuture<ByteBuf> result = new CompletableFuture<>();
        ring.execute(List.of(UringFileOp.readAll(path, alloc, maxReadBytes, toFuture(result))));
        return result;
    }

    @Override
    public CompletableFuture<Long> writeAll(Path path, ByteBuf data, boolean fsync) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        ring.execute(List.of(UringFileOp.write(UringFileOp.Kind.WRITE_ALL, path, 0, data, fsync, toCount(result))));
        return result;
    }

    @Override
    public CompletableFuture<BatchRead> batchRead(List<Path> paths, ByteBufAllocator alloc) {
        CompletableFuture<BatchRead> result = new CompletableFuture<>();
        ReadResult[] entries = new ReadResult[paths.size()];
        if (entries.length == 0) {
            result.complete(new BatchRead(List.of()));
            return result;
        }
        // Completions arrive on the loop only, so a plain counter is enough.
        int[] remaining = {entries.length};
        List<UringFileOp> ops = new ArrayList<>(entries.length);
        for (int i = 0; i < entries.length; i++) {
            int index = i;
            Path path = paths.get(i);
            ops.add(UringFileOp.readAll(path, alloc, maxReadBytes, new UringFileOp.Completion() {
                @Override
                public void succeeded(ByteBuf content, long bytes) {
                    entries[index] = ReadResult.success(path, content);
                    done();
                }

                @Override
                public void failed(FileIoException error) {
                    entries[index] = ReadResult.failure(error);
                    done();
                }

                private void done() {
                    if (--remaining[0] == 0) {
                        BatchRead batch = new BatchRead(Arrays.asList(entries));
                        if (!result.complete(batch)) {
                            batch.close();
                        }
                    }
                }
            }));
        }
        ring.execute(ops);
        return result;
    }

    @Override
    public CompletableFuture<List<WriteResult>> batchWrite(List<WriteOp> writes) {
        CompletableFuture<List<WriteResult>> result = new CompletableFuture<>();
        WriteResult[] entries = new WriteResult[writes.size()];
        if (entries.length == 0) {
            result.complete(List.of());
            return result;
        }
        int[] remaining = {entries.length};
        List<UringFileOp> ops = new ArrayList<>(entries.length);
        for (int i = 0; i < entries.length; i++) {
            int index = i;
            WriteOp write = writes.get(i);
            ops.add(UringFileOp.write(UringFileOp.Kind.WRITE_ALL, write.path(), 0, write.data(), write.fsync(),
                    new UringFileOp.Completion() {
                        @Override
                        public void succeeded(ByteBuf content, long bytes) {
                            entries[index] = new WriteResult(write.path(), bytes, null);
                            done();
                        }

                        @Override
                        public void failed(FileIoException error) {
                            entries[index] = new WriteResult(write.path(), 0, error);
                            done();
                        }

                        private void done() {
                            if (--remaining[0] == 0) {
                                result.complete(List.of(entries));
                            }
                        }
                    }));
        }
        ring.execute(ops);
        return result;
    }

    @Override
    public String backendName() {
        return "io_uring";
    }

    @Override
    public int openFiles() {
        return ring.openFiles();
    }

    @Override
    public int peakOpenFiles() {
        return ring.peakOpenFiles();
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        CompletableFuture<Void> closed = ring.closeAsync();
        if (ownedGroup == null) {
            return closed;
        }
        return closed.thenCompose(ignored -> {
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            ownedGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).addListener(f -> stopped.complete(null));
            return stopped;
        });
    }

    private static UringFileOp.Completion toFuture(CompletableFuture<ByteBuf> future) {
        return new UringFileOp.Completion() {
            @Override
            public void succeeded(ByteBuf content, long bytes) {
                if (!future.complete(content)) {
                    content.release();
                }
            }

            @Override
            public void failed(FileIoException error) {
                future.completeExceptionally(error);
            }
        };
    }

    private static UringFileOp.Completion toCount(CompletableFuture<Long> future) {
        return new UringFileOp.Completion() {
            @Override
            public void succeeded(ByteBuf content, long bytes) {
                future.complete(bytes);
            }

            @Override
            public void failed(FileIoException error) {
                future.completeExceptionally(error);
            }
        };
    }
}
