package dev.dxreactor.fileio.internal;

/**
 * How much the first read of a whole file asks for on one loop, learned from the files that loop read last, the way
 * Netty's adaptive receive buffer learns a socket's reads. A file that fits the first read needs no STATX (which
 * io_uring always runs on a worker thread) and no second read; so after a file that did not fit, the size grows at
 * once to fit it, and after two files in a row that would have fitted half of it, it halves. It stays between
 * {@link #MIN} and {@link #MAX}: up to a window of reads in flight on a loop each hold a buffer of this size until
 * they complete, so the ceiling bounds what a loop that just read a large file asks for on small ones. Loop thread
 * only.
 */
final class FirstReadSize {

    static final int MIN = 16 * 1024;
    static final int MAX = 128 * 1024;
    /** Sizes are whole pages, so that a file that grew by a few bytes still fits. */
    private static final int PAGE = 4096;

    private int size = MIN;
    private int smallInARow;

    /** The first read's size for a file of at most {@code maxReadBytes}: one byte more shows a larger file. */
    int next(int maxReadBytes) {
        return (int) Math.min(size, maxReadBytes + 1L);
    }

    /** A whole file of {@code fileSize} bytes has been read. */
    void record(long fileSize) {
        int fit = fitting(fileSize);
        if (fit > size) {
            size = fit;
            smallInARow = 0;
        } else if (fit <= size / 2) {
            if (++smallInARow >= 2) {
                size = Math.max(fit, size / 2);
                smallInARow = 0;
            }
        } else {
            smallInARow = 0;
        }
    }

    /** The whole pages above {@code fileSize} (a read of exactly the file's size cannot tell it ended), bounded. */
    private static int fitting(long fileSize) {
        long pages = fileSize / PAGE + 1;
        return (int) Math.clamp(pages * PAGE, MIN, MAX);
    }
}
