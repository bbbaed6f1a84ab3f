package dev.dxreactor.fileio;

import io.netty.buffer.ByteBuf;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One entry of {@link PlatformFiles#batchWrite}: replace the file at {@code path} with the readable bytes of
 * {@code data}, and flush it to the device before completing when {@code fsync} is set.
 *
 * <p>The caller keeps ownership of {@code data}: it is neither released nor are its indexes moved, and it must
 * stay unchanged until the batch completes.
 */
public record WriteOp(Path path, ByteBuf data, boolean fsync) {

    public WriteOp {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(data, "data");
    }

    /** A write without fsync. */
    public static WriteOp of(Path path, ByteBuf data) {
        return new WriteOp(path, data, false);
    }
}
