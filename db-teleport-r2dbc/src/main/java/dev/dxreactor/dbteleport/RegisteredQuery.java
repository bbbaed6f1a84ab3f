package dev.dxreactor.dbteleport;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** A query a server serves: its SQL, parameters, the tables its result depends on, and how rows become bytes. */
final class RegisteredQuery {

    private final String id;
    private final String sql;
    private final Set<String> tables;
    private final Parameters parameters;
    private final RowEncoder encoder;
    private final Generations generations;
    private final AtomicLong[] counters;

    RegisteredQuery(String id, String sql, Set<String> tables, Parameters parameters, RowEncoder encoder,
                    Generations generations) {
        this.id = id;
        this.sql = sql;
        this.tables = Set.copyOf(tables);
        this.parameters = parameters;
        this.encoder = encoder;
        this.generations = generations;
        this.counters = generations.counters(this.tables);
    }

    String id() {
        return id;
    }

    String sql() {
        return sql;
    }

    Set<String> tables() {
        return tables;
    }

    RowEncoder encoder() {
        return encoder;
    }

    /** @throws IllegalArgumentException when {@code params} do not fit this query */
    void check(List<?> params) {
        parameters.check(params);
    }

    /** See {@link Generations}: equal snapshots mean nothing this query depends on changed in between. */
    long snapshot() {
        return generations.snapshot(counters);
    }

    boolean dependsOn(String table) {
        return tables.contains(table);
    }
}
