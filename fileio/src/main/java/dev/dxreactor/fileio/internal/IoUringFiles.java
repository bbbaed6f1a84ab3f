package dev.dxreactor.fileio.internal;

import dev.dxreactor.fileio.FileIoConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.nio.file.Path;

/**
 * File I/O as io_uring submissions on event loops running Netty's {@code IoUringIoHandler}: every loop of the
 * configured group when the group runs io_uring, else a single loop thread of its own. Each loop has one
 * {@link UringFileRing} with an equal share of the handle limit. A batch is offered to every loop at once
 * ({@link SharedBatch}); the files a loop runs proceed a phase at a time (open, read, close), so a batch costs a
 * handful of {@code io_uring_enter} calls per loop, not one per file. A single request from a loop's own thread stays on that loop.
 */
public final class IoUringFiles extends LoopFiles<UringFileOp, UringFileRing> {

    /** Largest submission queue of the backend's own loop. */
    private static final int OWN_RING_MAX = 4096;

    private IoUringFiles(Placement<UringFileRing> placement, int maxReadBytes) {
        super(placement, maxReadBytes);
    }

    /** Why io_uring cannot be used here, or {@code null} when it can. */
    static Throwable unavailabilityCause() {
        return IoUring.unavailabilityCause();
    }

    static IoUringFiles create(FileIoConfig config) {
        IoUring.ensureAvailability();
        // Netty's default ring has 128 entries; a phase of a batch with more files in flight than that would take
        // one io_uring_enter per 128 submissions.
        int ringSize = Math.min(OWN_RING_MAX, Integer.highestOneBit(Math.max(128, config.maxOpenFiles()) - 1) << 1);
        return new IoUringFiles(place(config, "io_uring", IoUringIoHandle.class,
                () -> new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("dx-fileio-uring", true),
                        IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setRingSize(ringSize))),
                UringFileRing::register), config.maxReadBytes());
    }

    @Override
    UringFileOp readAllOp(Path path, ByteBufAllocator alloc, int maxReadBytes, FileCompletion completion) {
        return UringFileOp.readAll(path, alloc, maxReadBytes, completion);
    }

    @Override
    UringFileOp readRangeOp(Path path, long offset, int length, ByteBufAllocator alloc, int maxReadBytes,
                            FileCompletion completion) {
        return UringFileOp.readRange(path, offset, length, alloc, maxReadBytes, completion);
    }

    @Override
    UringFileOp writeOp(FileOpKind kind, Path path, long offset, ByteBuf data, boolean fsync,
                        FileCompletion completion) {
        return UringFileOp.write(kind, path, offset, data, fsync, completion);
    }

    @Override
    public String backendName() {
        return "io_uring";
    }
}
