package dev.dxreactor.dbteleport;

import java.io.Serial;

/**
 * A query's encoded result grew past the cache's per-entry limit ({@link DbTeleport.Builder#maxEntryBytes}):
 * the call fails with this (inside the stage's {@link java.util.concurrent.CompletionException}), the rows
 * still streaming in are discarded unread, and nothing is cached. Every caller sharing the load gets it.
 */
public final class ResultTooLargeException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String queryId;
    private final long limit;

    ResultTooLargeException(String queryId, long limit, Throwable cause) {
        super("the result of query '" + queryId + "' is larger than " + limit
                + " bytes (maxEntryBytes); it was abandoned and not cached", cause);
        this.queryId = queryId;
        this.limit = limit;
    }

    /** The query whose result was too large. */
    public String queryId() {
        return queryId;
    }

    /** The per-entry limit, in bytes, that the result passed. */
    public long limit() {
        return limit;
    }
}
