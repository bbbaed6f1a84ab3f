package dev.dxreactor.fileio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file operation that failed, with the path and the operating system's error name ({@code ENOENT},
 * {@code EACCES}, {@code EISDIR}, ...), so that callers can tell the kinds apart on every backend.
 */
public final class FileIoException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final String errno;

    /**
     * @param path   the file the operation was about
     * @param errno  the error name, for example {@code ENOENT}
     * @param reason a human-readable reason, for example {@code No such file or directory}
     */
    public FileIoException(Path path, String errno, String reason) {
        super(errno + ": " + path + ": " + reason);
        this.path = Objects.requireNonNull(path, "path");
        this.errno = Objects.requireNonNull(errno, "errno");
    }

    /** The file the operation was about. */
    public Path path() {
        return path;
    }

    /** The error name, for example {@code ENOENT}, {@code EACCES}, {@code EISDIR} or {@code ECANCELED}. */
    public String errno() {
        return errno;
    }
}
