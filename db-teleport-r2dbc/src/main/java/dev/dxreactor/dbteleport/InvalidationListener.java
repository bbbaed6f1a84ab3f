package dev.dxreactor.dbteleport;

/**
 * Told when cached entries stop being served, for example to push "changed" events to clients or to wait
 * for a change in a test. Set with {@link DbTeleport.Builder#invalidationListener}.
 *
 * <p>Called on the listener connection's thread, after the cache has applied the change: a read that
 * starts once a method was entered misses. The methods must return quickly and must not block; a thrown
 * exception is logged and does not affect the cache.
 */
public interface InvalidationListener {

    /**
     * A committed change to {@code table} was notified, so no entry of a query that depends on it is
     * served any more. Only tables some registered query depends on are reported.
     */
    void invalidated(String table);

    /**
     * Every entry stopped being served at once: the listener connection was lost (reads bypass the cache
     * until it is back) or {@code LISTEN} is in force on a new connection.
     */
    default void invalidatedAll() {
    }
}
