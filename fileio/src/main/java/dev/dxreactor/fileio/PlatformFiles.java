package dev.dxreactor.fileio;

import dev.dxreactor.fileio.internal.BackendSelection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Asynchronous file I/O on the best backend of the machine: io_uring on Netty's own ring (an event loop's
 * {@code IoUringIoHandler}, no thread pool) where the kernel allows it, on Windows overlapped
 * {@code ReadFile}/{@code WriteFile} on an IOCP event loop's completion port when the IOCP transport is on the
 * class path, else {@code FileChannel} on virtual threads.
 *
 * <p><b>Ownership.</b> A buffer returned by a read comes from the caller's allocator and belongs to the caller,
 * who releases it. A buffer passed to a write stays the caller's: it is neither released nor are its indexes
 * moved, and it must stay unchanged until the returned future completes.
 *
 * <p><b>Errors.</b> Failures complete the future with a {@link FileIoException} that names the path and the
 * error ({@code ENOENT}, {@code EACCES}, {@code EISDIR}, ...; on the IOCP backend the Win32 names,
 * {@code ERROR_FILE_NOT_FOUND}, {@code ERROR_ACCESS_DENIED}, ...). In a batch each entry fails on its own.
 * Reads are for regular files: a directory fails with {@code EISDIR}; other special files fail with
 * {@code EINVAL} on the fallback, while io_uring returns what one non-blocking read of them gives. A file larger
 * than {@link FileIoConfig#maxReadBytes()} fails with {@code EFBIG} before a buffer of its size is allocated.
 *
 * <p><b>Handle limit.</b> At most {@link FileIoConfig#maxOpenFiles()} files are open at once; further requests
 * wait in arrival order and never fail for lack of a handle.
 */
public interface PlatformFiles extends AutoCloseable {

    /** System property that forces a backend by name ({@code -Ddx.fileio.backend=fallback}). */
    String BACKEND_PROPERTY = "dx.fileio.backend";

    /**
     * The best backend for {@code config}: on Windows the IOCP backend when dx-transport-iocp is on the class path;
     * elsewhere io_uring when its classes are on the class path and the kernel allows it; else the fallback. Logs the choice and why the better backend was not taken.
     */
    static PlatformFiles best(FileIoConfig config) {
        return BackendSelection.best(config);
    }

    /** {@link #best(FileIoConfig)} with every default. */
    static PlatformFiles best() {
        return best(FileIoConfig.defaults());
    }

    /** The fallback backend: {@code FileChannel} on the configured offload executor or on virtual threads. */
    static PlatformFiles fallback(FileIoConfig config) {
        return BackendSelection.fallback(config);
    }

    /**
     * The Windows backend: overlapped {@code ReadFile}/{@code WriteFile} on the completion port of an IOCP event
     * loop. Needs dx-transport-iocp; elsewhere than on Windows it runs on the emulated kernel only
     * ({@code -Ddx.windows.emulate=true}, for tests). Its errors carry Win32 names ({@code ERROR_FILE_NOT_FOUND}).
     *
     * @throws IllegalStateException with the reason, when it cannot be used here
     */
    static PlatformFiles iocp(FileIoConfig config) {
        return BackendSelection.iocp(config);
    }

    /**
     * The io_uring backend.
     *
     * @throws IllegalStateException with the reason, when io_uring cannot be used here
     */
    static PlatformFiles ioUring(FileIoConfig config) {
        return BackendSelection.ioUring(config);
    }

    /**
     * Reads up to {@code length} bytes at {@code offset} (fewer at end of file).
     *
     * @return a buffer from {@code alloc} that the caller releases
     */
    CompletableFuture<ByteBuf> read(Path path, long offset, int length, ByteBufAllocator alloc);

    /**
     * Writes the readable bytes of {@code data} at {@code offset}, creating the file if needed and keeping the
     * rest of it.
     *
     * @return the number of bytes written
     */
    CompletableFuture<Long> write(Path path, long offset, ByteBuf data);

    /**
     * Reads the whole file, sized when it is opened. Its readable bytes are exactly the file; its capacity may be
     * larger (io_uring reads a file into a buffer sized from the files its loop read last, 16 KiB to 128 KiB,
     * before it knows the size, and hands that buffer over as it is while the file fills at least a quarter of it).
     *
     * @return a buffer from {@code alloc} that the caller releases
     */
    CompletableFuture<ByteBuf> readAll(Path path, ByteBufAllocator alloc);

    /** Replaces the file with the readable bytes of {@code data}; with {@code fsync}, flushed before completing. */
    CompletableFuture<Long> writeAll(Path path, ByteBuf data, boolean fsync);

    /**
     * Reads every file whole. The future completes once every entry has, and never exceptionally because of an
     * entry: a failed entry carries its own {@link FileIoException}.
     *
     * @return the entries in request order; the caller closes the {@link BatchRead} to release the contents
     */
    CompletableFuture<BatchRead> batchRead(List<Path> paths, ByteBufAllocator alloc);

    /** Runs every {@link WriteOp}; like {@link #batchRead}, each entry succeeds or fails on its own. */
    CompletableFuture<List<WriteResult>> batchWrite(List<WriteOp> ops);

    /** {@code io_uring}, {@code iocp} or {@code fallback}. */
    String backendName();

    /** Files open right now. */
    int openFiles();

    /** The most files that were open at once since this instance started. */
    int peakOpenFiles();

    /**
     * Stops accepting work, fails queued requests with {@code ECANCELED}, cancels or finishes the ones in flight,
     * closes their files and frees their memory.
     *
     * @return completes once nothing is in flight any more
     */
    CompletableFuture<Void> closeAsync();

    /** {@link #closeAsync()} and waits for it. */
    @Override
    default void close() {
        closeAsync().join();
    }
}
