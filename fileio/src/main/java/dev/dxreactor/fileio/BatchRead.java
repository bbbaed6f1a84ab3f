package dev.dxreactor.fileio;

import java.util.List;

/**
 * The result of {@link PlatformFiles#batchRead}: one {@link ReadResult} per requested path, in request order.
 *
 * <p>The caller owns the contents: {@link #close()} releases every successful entry's buffer once (a buffer the
 * caller retained stays alive for the caller's reference).
 */
public final class BatchRead implements AutoCloseable {

    private final List<ReadResult> entries;
    private boolean closed;

    /** Takes ownership of the entries' contents. */
    public BatchRead(List<ReadResult> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Every entry, in request order. */
    public List<ReadResult> entries() {
        return entries;
    }

    public ReadResult get(int index) {
        return entries.get(index);
    }

    public int size() {
        return entries.size();
    }

    /** How many entries failed. */
    public long failures() {
        return entries.stream().filter(e -> !e.isSuccess()).count();
    }

    /** Releases every entry's content; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        entries.forEach(ReadResult::release);
    }
}
