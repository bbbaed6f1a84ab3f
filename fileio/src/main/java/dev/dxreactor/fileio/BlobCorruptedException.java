package dev.dxreactor.fileio;

import java.io.IOException;

/** A stored blob whose bytes no longer hash to its key: the read fails rather than return them. */
public final class BlobCorruptedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String actual;

    public BlobCorruptedException(String key, String actual, long size) {
        super("blob " + key + " is corrupted: its " + size + " bytes hash to " + actual);
        this.key = key;
        this.actual = actual;
    }

    /** The key asked for, which is the SHA-256 the content should have. */
    public String key() {
        return key;
    }

    /** The SHA-256 of the bytes actually stored. */
    public String actual() {
        return actual;
    }
}
