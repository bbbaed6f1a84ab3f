package dev.dxreactor.examples.devserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Turns a path a client sent into a file under the served directory, or refuses it: absolute paths, {@code ..}
 * that climbs out, and symbolic links that lead out are all refused, so a client reads nothing but the tree.
 */
final class SafePaths {

    private final Path root;

    SafePaths(Path root) throws IOException {
        this.root = root.toRealPath();
    }

    Path root() {
        return root;
    }

    /**
     * The file {@code requested} names under the root.
     *
     * @throws IllegalArgumentException saying why the path is refused
     */
    Path resolve(String requested) {
        if (requested.isEmpty() || requested.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("empty path or NUL in the path");
        }
        Path relative;
        try {
            relative = Path.of(requested);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a path: " + e.getReason());
        }
        if (relative.isAbsolute()) {
            throw new IllegalArgumentException("absolute path: give it relative to the served directory");
        }
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException("path outside the served directory");
        }
        try {
            // A link inside the tree may point out of it: what counts is where it really is.
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !file.toRealPath().startsWith(root)) {
                throw new IllegalArgumentException("path leads outside the served directory");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("path cannot be resolved: " + e.getMessage());
        }
        return file;
    }

    /** {@code file} as clients name it: relative to the root, with '/' between names. */
    String name(Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }
}
