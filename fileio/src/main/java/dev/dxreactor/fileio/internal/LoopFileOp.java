package dev.dxreactor.fileio.internal;

import dev.dxreactor.fileio.FileIoException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

import java.nio.file.Path;

/**
 * A file operation of a loop-based backend, whatever its kernel: the request (what kind, which file and range, the
 * caller's allocator or source buffer, fsync, the read limit, where the result goes), the slot it holds, the buffer
 * the kernel reads into or writes from (the caller's, or a staging copy when the caller's has no address), its first
 * error, and the hand-over of the result. A subclass walks the file through its kernel: {@link UringFileOp} as
 * io_uring submissions, {@link IocpFileOp} as overlapped file calls. Runs on its loop only.
 */
abstract class LoopFileOp implements FileLoopBase.Op {

    final FileOpKind kind;
    final Path path;
    final ByteBufAllocator alloc;
    final long offset;
    /** The caller's buffer to write, {@code null} for a read. */
    final ByteBuf source;
    final boolean fsync;
    final int maxReadBytes;
    private final FileCompletion completion;

    int slot = -1;
    /** Where the kernel reads into, or a staging copy it writes from; {@code null} when the source itself serves. */
    ByteBuf io;
    /** Whether {@link #io} is a staging copy from the pooled allocator rather than the caller's. */
    boolean staged;
    /** The first failure; the operation still closes its file before it ends. */
    FileIoException error;

    LoopFileOp(FileOpKind kind, Path path, ByteBufAllocator alloc, long offset, ByteBuf source, boolean fsync,
               int maxReadBytes, FileCompletion completion) {
        this.kind = kind;
        this.path = path;
        this.alloc = alloc;
        this.offset = offset;
        this.source = source;
        this.fsync = fsync;
        this.maxReadBytes = maxReadBytes;
        this.completion = completion;
    }

    @Override
    public final int slot() {
        return slot;
    }

    @Override
    public final Path path() {
        return path;
    }

    /** Bytes read or written so far. */
    abstract long transferred();

    /** A whole-file read is about to hand over a file of {@code size} bytes. */
    void readWhole(int size) {
    }

    /** Keeps {@code e} as the operation's error unless an earlier one is kept already. */
    final void failWith(FileIoException e) {
        if (error == null) {
            error = e;
        }
    }

    /** Makes {@link #io} a buffer of {@code capacity} for the kernel to read into; returns its address. */
    final long readBuffer(int capacity) {
        io = alloc.directBuffer(capacity);
        long address = capacity == 0 ? 0 : NativeMemory.address(io, 0);
        if (address == -1) {
            io.release();
            io = PooledByteBufAllocator.DEFAULT.directBuffer(capacity);
            staged = true;
            address = NativeMemory.address(io, 0);
        }
        return address;
    }

    /** Where the kernel takes the {@code length} bytes to write from: the source, or a staging copy of it. */
    final long writeSource(int length) {
        long address = NativeMemory.address(source, source.readerIndex());
        if (address == -1) {
            io = PooledByteBufAllocator.DEFAULT.directBuffer(length, length);
            io.writeBytes(source, source.readerIndex(), length);
            staged = true;
            address = NativeMemory.address(io, 0);
        }
        return address;
    }

    /**
     * The buffer the kernel reads into or writes from is kept for good (a write from the caller's own buffer keeps a
     * reference of it, so the caller's release cannot free it either); then it ends as {@link #abandon} ends it.
     */
    @Override
    public final void abandonToKernel(String why) {
        if (io != null) {
            KernelHeldMemory.keep(io);
            io = null;
        } else if (source != null) {
            KernelHeldMemory.keep(source.retain());
        }
        abandon(why);
    }

    /** Hands the result, or the error, over; called by the loop once the slot is free again. */
    @Override
    public final void deliver() {
        ByteBuf read = io;
        io = null;
        if (error != null) {
            if (read != null) {
                read.release();
            }
            completion.failed(error);
            return;
        }
        long bytes = transferred();
        if (source != null) {
            if (read != null) {
                read.release();
            }
            completion.succeeded(null, bytes);
            return;
        }
        int size = (int) bytes;
        if (kind == FileOpKind.READ_ALL) {
            readWhole(size);
        }
        completion.succeeded(ReadContent.handOver(read, size, alloc, staged), size);
    }
}
