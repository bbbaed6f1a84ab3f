package dev.dxreactor.fileio.internal;

import dev.dxreactor.fileio.BatchRead;
import dev.dxreactor.fileio.FileIoException;
import dev.dxreactor.fileio.ReadResult;
import dev.dxreactor.fileio.WriteOp;
import dev.dxreactor.fileio.WriteResult;
import io.netty.buffer.ByteBuf;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Where the result of one file operation of a loop-based backend (io_uring, iocp) goes; called once, on the loop
 * that ran it. The factories turn futures and batches into completions.
 */
interface FileCompletion {

    /** {@code content} is the caller's (null for writes). */
    void succeeded(ByteBuf content, long bytes);

    void failed(FileIoException error);

    /** Completes {@code future} with the content read; content nobody can take any more is released. */
    static FileCompletion toFuture(CompletableFuture<ByteBuf> future) {
        return new FileCompletion() {
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

    /** Completes {@code future} with the bytes written. */
    static FileCompletion toCount(CompletableFuture<Long> future) {
        return new FileCompletion() {
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

    /**
     * The completion of each path of a batch read, made when asked for (on the loop that runs the path, once per
     * index); {@code result} completes with the entries in order once every one has (completions may arrive on
     * several loops). Not for an empty batch.
     */
    static IntFunction<FileCompletion> batchRead(List<Path> paths, CompletableFuture<BatchRead> result) {
        ReadResult[] entries = new ReadResult[paths.size()];
        AtomicInteger remaining = new AtomicInteger(entries.length);
        return index -> new FileCompletion() {
            @Override
            public void succeeded(ByteBuf content, long bytes) {
                entries[index] = ReadResult.success(paths.get(index), content);
                done();
            }

            @Override
            public void failed(FileIoException error) {
                entries[index] = ReadResult.failure(error);
                done();
            }

            private void done() {
                if (remaining.decrementAndGet() == 0) {
                    BatchRead batch = new BatchRead(Arrays.asList(entries));
                    if (!result.complete(batch)) {
                        batch.close();
                    }
                }
            }
        };
    }

    /** The completion of each op of a batch write, like {@link #batchRead}. Not for an empty batch. */
    static IntFunction<FileCompletion> batchWrite(List<WriteOp> writes, CompletableFuture<List<WriteResult>> result) {
        WriteResult[] entries = new WriteResult[writes.size()];
        AtomicInteger remaining = new AtomicInteger(entries.length);
        return index -> new FileCompletion() {
            @Override
            public void succeeded(ByteBuf content, long bytes) {
                entries[index] = new WriteResult(writes.get(index).path(), bytes, null);
                done();
            }

            @Override
            public void failed(FileIoException error) {
                entries[index] = new WriteResult(writes.get(index).path(), 0, error);
                done();
            }

            private void done() {
                if (remaining.decrementAndGet() == 0) {
                    result.complete(List.of(entries));
                }
            }
        };
    }
}
