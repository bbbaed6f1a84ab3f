package dev.dxreactor.examples.showcase.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What {@code /health} answers. Liveness: the process answers at all (the HTTP event loop ran the request).
 * Readiness: it should get traffic, which it should not while draining for shutdown or while a database listener
 * is down (the cache would then send every read to the database, and topic changes would wait).
 */
public final class Health {

    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();

    /** Adds a readiness check: {@code ready} must hold for the instance to be ready. */
    public Health check(String name, BooleanSupplier ready) {
        checks.put(name, ready);
        return this;
    }

    /** Each check by name, in the order added, and whether it holds now. */
    public Map<String, Boolean> results() {
        Map<String, Boolean> results = new LinkedHashMap<>();
        checks.forEach((name, check) -> results.put(name, check.getAsBoolean()));
        return results;
    }

    /** Whether every check holds. */
    public static boolean ready(Map<String, Boolean> results) {
        return !results.containsValue(Boolean.FALSE);
    }
}
