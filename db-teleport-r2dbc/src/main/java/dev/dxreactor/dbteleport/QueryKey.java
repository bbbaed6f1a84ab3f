package dev.dxreactor.dbteleport;

import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

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
        return o instanceof QueryKey k && k.hash == hash && k.id.equals(id) && sameParams(k.params, params);
    }

    /**
     * {@code a.equals(b)}, element by element where both lists are indexed: {@code List.equals} walks the
     * other list with an iterator, an allocation on every hit wherever the JIT does not inline the lookup
     * deeply enough to remove it (inside the HBTP server's pipeline, for one).
     */
    private static boolean sameParams(List<?> a, List<?> b) {
        if (!(a instanceof RandomAccess) || !(b instanceof RandomAccess)) {
            return a.equals(b);
        }
        int size = a.size();
        if (size != b.size()) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!Objects.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
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
