package dev.dxreactor.dbteleport;

import java.util.List;

/**
 * A registered query's id and the parameters of one call. The hash is computed once, in the constructor:
 * a hit hashes the key once and compares it once.
 */
final class QueryKey {

    private final String id;
    private final List<?> params;
    private final int hash;

    QueryKey(String id, List<?> params) {
        this.id = id;
        this.params = params;
        this.hash = id.hashCode() * 31 + params.hashCode();
    }

    String id() {
        return id;
    }

    List<?> params() {
        return params;
    }

    /** This key with an immutable copy of the parameters, to be stored in the cache. */
    QueryKey frozen() {
        return new QueryKey(id, List.copyOf(params));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueryKey k && k.hash == hash && k.id.equals(id) && k.params.equals(params);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return id + params;
    }
}
