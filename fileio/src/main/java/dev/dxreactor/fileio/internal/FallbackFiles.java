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

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code FileChannel} calls on an offload executor (virtual threads unless the configuration names one). Works on
 * every JDK platform; each call blocks its own virtual thread, never an event loop.
 */
public final class FallbackFiles implements PlatformFiles {

    private static final OpenOption[] READ = {StandardOpenOption.READ};
    private static final OpenOption[] WRITE = {StandardOpenOption.WRITE, StandardOpenOption.CREATE};
    private static final OpenOption[] REPLACE =
            {StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING};

    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final int maxReadBytes;
    /** Fair, so that queued requests get a handle in arrival order. */
    private final Semaphore handles;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean closing;

    public FallbackFiles(FileIoConfig config) {
        this.maxReadBytes = config.maxReadBytes();
        this.handles = new Semaphore(config.maxOpenFiles(), true);
        if (config.offload().isPresent()) {
            this.executor = config.offload().get();
            this.ownedExecutor = null;
        } else {
            this.ownedExecutor = Executors.newVirtualThreadPerTaskExecutor();
            this.executor = ownedExecutor;
        }
    }

    @Override
    public CompletableFuture<ByteBuf> read(Path path, long offset, int length, ByteBufAllocator alloc) {
        checkRange(offset, length);
        return submit(path, () -> withChannel(path, READ, ch -> {
            requireRegularFile(path);
            if (length > maxReadBytes) {
                throw tooLarge(path, length);
            }
            return readFully(ch, path, offset, length, alloc);
        }));
    }

    @Override
    public CompletableFuture<Long> write(Path path, long offset, ByteBuf data) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset < 0: " + offset);
        }
        return submit(path, () -> withChannel(path, WRITE, ch -> writeFully(ch, offset, data, false)));
    }

    @Override
    public CompletableFuture<ByteBuf> readAll(Path path, ByteBufAllocator alloc) {
        return submit(path, () -> readAllBlocking(path, alloc));
    }

    @Override
    public CompletableFuture<Long> writeAll(Path path, ByteBuf data, boolean fsync) {
        return submit(path, () -> withChannel(path, REPLACE, ch -> writeFully(ch, 0, data, fsync)));
    }

    @Override
    public CompletableFuture<BatchRead> batchRead(List<Path> paths, ByteBufAllocator alloc) {
        List<CompletableFuture<ReadResult>> entries = new ArrayList<>(paths.size());
        for (Path path : paths) {
            entries.add(readAll(path, alloc).handle((buf, error) -> error == null
                    ? ReadResult.success(path, buf)
                    : ReadResult.failure(asFileIo(path, error))));
        }
        return CompletableFuture.allOf(entries.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> new BatchRead(entries.stream().map(CompletableFuture::join).toList()));
    }

    @Override
    public CompletableFuture<List<WriteResult>> batchWrite(List<WriteOp> ops) {
        List<CompletableFuture<WriteResult>> entries = new ArrayList<>(ops.size());
        for (WriteOp op : ops) {
            entries.add(writeAll(op.path(), op.data(), op.fsync()).handle((bytes, error) -> error == null
                    ? new WriteResult(op.path(), bytes, null)
                    : new WriteResult(op.path(), 0, asFileIo(op.path(), error))));
        }
        return CompletableFuture.allOf(entries.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> entries.stream().map(CompletableFuture::join).toList());
    }

    @Override
    public String backendName() {
        return "fallback";
    }

    @Override
    public int openFiles() {
        return open.get();
    }

    @Override
    public int peakOpenFiles() {
        return peak.get();
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        if (!closing) {
            closing = true;
            finishIfIdle();
        }
        return closed;
    }

    private ByteBuf readAllBlocking(Path path, ByteBufAllocator alloc) throws IOException {
        return withChannel(path, READ, ch -> {
            requireRegularFile(path);
            long size = ch.size();
            if (size > maxReadBytes) {
                throw tooLarge(path, size);
            }
            return readFully(ch, path, 0, (int) size, alloc);
        });
    }

    private static ByteBuf readFully(FileChannel ch, Path path, long offset, int length, ByteBufAllocator alloc)
            throws IOException {
        ByteBuf buf = alloc.buffer(length, length);
        try {
            while (buf.isWritable()) {
                int n = buf.writeBytes(ch, offset + buf.writerIndex(), buf.writableBytes());
                if (n < 0) {
                    break;
                }
            }
            return buf;
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    private static long writeFully(FileChannel ch, long offset, ByteBuf data, boolean fsync) throws IOException {
        int length = data.readableBytes();
        int index = data.readerIndex();
        int done = 0;
        while (done < length) {
            done += data.getBytes(index + done, ch, offset + done, length - done);
        }
        if (fsync) {
            ch.force(true);
        }
        return done;
    }

    private static void requireRegularFile(Path path) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
        if (attrs.isDirectory()) {
            throw Errno.EISDIR.exception(path);
        }
        if (!attrs.isRegularFile()) {
            throw Errno.EINVAL.exception(path, "not a regular file");
        }
    }

    static FileIoException tooLarge(Path path, long size) {
        return Errno.EFBIG.exception(path, size + " bytes is above the read limit");
    }

    static void checkRange(long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0: " + offset + ", " + length);
        }
    }

    static FileIoException asFileIo(Path path, Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null
                ? ce.getCause() : error;
        if (cause instanceof FileIoException fio) {
            return fio;
        }
        if (cause instanceof IOException io) {
            return Errno.fromException(path, io);
        }
        FileIoException wrapped = Errno.EIO.exception(path, String.valueOf(cause));
        wrapped.initCause(cause);
        return wrapped;
    }

    private interface ChannelWork<T> {
        T apply(FileChannel channel) throws IOException;
    }

    private interface Blocking<T> {
        T call() throws IOException;
    }

    /** Opens the file under the handle limit, counts it while open, and maps every failure to its errno. */
    private <T> T withChannel(Path path, OpenOption[] options, ChannelWork<T> work) throws IOException {
        handles.acquireUninterruptibly();
        try {
            if (closing) {
                throw Errno.ECANCELED.exception(path, "closed");
            }
            try (FileChannel ch = FileChannel.open(path, options)) {
                peak.accumulateAndGet(open.incrementAndGet(), Math::max);
                try {
                    return work.apply(ch);
                } finally {
                    open.decrementAndGet();
                }
            } catch (IOException e) {
                throw Errno.fromException(path, e);
            }
        } finally {
            handles.release();
        }
    }

    private <T> CompletableFuture<T> submit(Path path, Blocking<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closing) {
            result.completeExceptionally(Errno.ECANCELED.exception(path, "closed"));
            return result;
        }
        inFlight.incrementAndGet();
        try {
            executor.execute(() -> {
                try {
                    T value = work.call();
                    if (!result.complete(value) && value instanceof ByteBuf unwanted) {
                        unwanted.release();
                    }
                } catch (Throwable t) {
                    result.completeExceptionally(asFileIo(path, t));
                } finally {
                    inFlight.decrementAndGet();
                    finishIfIdle();
                }
            });
        } catch (RuntimeException rejected) {
            inFlight.decrementAndGet();
            result.completeExceptionally(asFileIo(path, rejected));
            finishIfIdle();
        }
        return result;
    }

    private void finishIfIdle() {
        if (closing && inFlight.get() == 0 && !closed.isDone()) {
            if (ownedExecutor != null) {
                ownedExecutor.shutdown();
            }
            closed.complete(null);
        }
    }
}
