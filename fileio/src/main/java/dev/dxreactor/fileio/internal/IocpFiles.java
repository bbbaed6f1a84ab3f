package dev.dxreactor.fileio.internal;

import dev.dxreactor.fileio.FileIoConfig;
import dev.dxreactor.transport.iocp.channel.Iocp;
import dev.dxreactor.transport.iocp.channel.IocpIoHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.nio.file.Path;

/**
 * File I/O as overlapped {@code ReadFile}/{@code WriteFile} on event loops running the IOCP transport's
 * {@code IocpIoHandler}: every loop of the configured group when the group runs IOCP, else a single loop thread of
 * its own. Each loop has one {@link IocpFileLoop} with an equal share of the handle limit; a batch is offered to
 * every loop at once ({@link SharedBatch}) and issued from the loops without a thread pool. A single request from a loop's
 * own thread stays on that loop. Errors carry Win32 names ({@code ERROR_FILE_NOT_FOUND}, ...).
 */
public final class IocpFiles extends LoopFiles<IocpFileOp, IocpFileLoop> {

    private IocpFiles(Placement<IocpFileLoop> placement, int maxReadBytes) {
        super(placement, maxReadBytes);
    }

    /** Why the IOCP transport cannot run here, or {@code null} when it can. */
    static Throwable unavailabilityCause() {
        return Iocp.unavailabilityCause();
    }

    static IocpFiles create(FileIoConfig config) {
        Iocp.ensureAvailability();
        return new IocpFiles(place(config, "IOCP", IocpFileLoop.class,
                () -> new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("dx-fileio-iocp", true),
                        IocpIoHandler.newFactory()),
                IocpFileLoop::register), config.maxReadBytes());
    }

    @Override
    IocpFileOp readAllOp(Path path, ByteBufAllocator alloc, int maxReadBytes, FileCompletion completion) {
        return IocpFileOp.readAll(path, alloc, maxReadBytes, completion);
    }

    @Override
    IocpFileOp readRangeOp(Path path, long offset, int length, ByteBufAllocator alloc, int maxReadBytes,
                           FileCompletion completion) {
        return IocpFileOp.readRange(path, offset, length, alloc, maxReadBytes, completion);
    }

    @Override
    IocpFileOp writeOp(FileOpKind kind, Path path, long offset, ByteBuf data, boolean fsync,
                       FileCompletion completion) {
        return IocpFileOp.write(kind, path, offset, data, fsync, completion);
    }

    @Override
    public String backendName() {
        return "iocp";
    }
}
