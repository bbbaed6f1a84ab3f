package dev.dxreactor.fileio.internal;

/** What one file operation of a loop-based backend does. */
enum FileOpKind {
    /** Read the whole file. */
    READ_ALL,
    /** Read a range of it. */
    READ_RANGE,
    /** Write at an offset, keeping the rest of the file. */
    WRITE_RANGE,
    /** Replace the whole file. */
    WRITE_ALL
}
