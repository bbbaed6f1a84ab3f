package dev.dxreactor.fileio;

import io.netty.buffer.ByteBuf;

import java.nio.file.Path;

/**
 * The outcome of one entry of {@link PlatformFiles#batchRead}: the file's bytes, or the error of this entry alone.
 * The content belongs to the {@link BatchRead} that holds this entry and is released with it.
 */
public final class ReadResult {

    private final Path path;
    private final ByteBuf content;
    private final FileIoException error;

    ReadResult(Path path, ByteBuf content, FileIoException error) {
        this.path = path;
        this.content = content;
        this.error = error;
    }

    /** A successful entry; {@code content} becomes owned by the enclosing {@link BatchRead}. */
    public static ReadResult success(Path path, ByteBuf content) {
        return new ReadResult(path, content, null);
    }

    /** A failed entry. */
    public static ReadResult failure(FileIoException error) {
        return new ReadResult(error.path(), null, error);
    }

    public Path path() {
        return path;
    }

    public boolean isSuccess() {
        return error == null;
    }

    /**
     * The whole file, readable from its reader index. Valid until the enclosing {@link BatchRead} is closed;
     * {@link ByteBuf#retain()} it to keep it longer.
     *
     * @throws IllegalStateException if this entry failed
     */
    public ByteBuf content() {
        if (error != null) {
            throw new IllegalStateException("entry failed: " + error.getMessage(), error);
        }
        return content;
    }

    /** The failure of this entry, or {@code null}. */
    public FileIoException error() {
        return error;
    }

    void release() {
        if (content != null && content.refCnt() > 0) {
            content.release();
        }
    }

    @Override
    public String toString() {
        return error == null ? path + " (" + content.readableBytes() + " bytes)" : error.getMessage();
    }
}
