package dev.dxreactor.dbteleport;

/**
 * The answer to a conditional {@link DbTeleport#get(String, java.util.List, long)}: the current
 * {@link CacheEntry}, or {@link NotModified} when the caller's version is the current one.
 */
public sealed interface CacheResult permits CacheEntry, NotModified {

    /** The version of the current result. */
    long version();
}
