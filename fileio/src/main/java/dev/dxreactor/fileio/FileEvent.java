package dev.dxreactor.fileio;

import java.nio.file.Path;

/**
 * One debounced change under a {@link FileWatcher}'s root.
 *
 * @param kind         what happened
 * @param path         the file or directory (for {@link Kind#RENAMED} its new path; for {@link Kind#OVERFLOW} the
 *                     root)
 * @param previousPath for {@link Kind#RENAMED} the old path, else {@code null}
 * @param directory    whether {@code path} is a directory
 */
public record FileEvent(Kind kind, Path path, Path previousPath, boolean directory) {

    public enum Kind {
        CREATED,
        MODIFIED,
        DELETED,
        /** A file moved inside the tree: a deletion and a creation of the same file within one window. */
        RENAMED,
        /** The operating system dropped events (its queue overflowed): rescan what matters. */
        OVERFLOW
    }
}
