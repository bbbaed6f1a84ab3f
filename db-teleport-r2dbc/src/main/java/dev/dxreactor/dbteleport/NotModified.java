package dev.dxreactor.dbteleport;

/** The caller's version is current: the bytes it already has are the ones the cache holds. */
public record NotModified(long version) implements CacheResult {
}
