package dev.dxreactor.fileio;

import java.nio.file.Path;

/**
 * The outcome of one entry of {@link PlatformFiles#batchWrite}: the number of bytes written, or the error of
 * this entry alone.
 *
 * @param path  the file of the entry
 * @param bytes bytes written (0 when failed)
 * @param error the failure, or {@code null} on success
 */
public record WriteResult(Path path, long bytes, FileIoException error) {

    /** Whether the entry was written (and flushed, if asked). */
    public boolean isSuccess() {
        return error == null;
    }
}
