package dev.dxreactor.fileio.internal;

import java.nio.charset.Charset;
import java.nio.file.Path;

/** A path as the kernel wants it: absolute, in the platform's file name encoding, without the trailing NUL. */
final class PathBytes {

    private static final Charset FILE_NAMES = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private PathBytes() {
    }

    static byte[] of(Path path) {
        return path.toAbsolutePath().toString().getBytes(FILE_NAMES);
    }
}
