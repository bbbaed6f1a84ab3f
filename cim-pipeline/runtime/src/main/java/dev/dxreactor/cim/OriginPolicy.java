package dev.dxreactor.cim;

import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Which {@code Origin}s a chain allows. Generated handlers build theirs from
 * {@link MiddlewareChain#allowedOrigins()} with a compiled-in {@code switch} as the lookup (the handler's
 * {@code ORIGIN_POLICY}), so nothing is looked up in a map at run time. Immutable.
 */
public final class OriginPolicy {

    private final List<String> origins;
    private final ToIntFunction<String> indexOf;

    private OriginPolicy(List<String> origins, ToIntFunction<String> indexOf) {
        this.origins = origins;
        this.indexOf = indexOf;
    }

    /**
     * A policy allowing {@code origins}, where {@code indexOf} gives an origin's index in that list ({@code -1}
     * when absent) faster than a search would, such as a generated {@code switch}.
     */
    public static OriginPolicy of(List<String> origins, ToIntFunction<String> indexOf) {
        return new OriginPolicy(List.copyOf(origins), Objects.requireNonNull(indexOf, "indexOf"));
    }

    /** A policy allowing {@code origins}, found by a search of the list. */
    public static OriginPolicy of(String... origins) {
        List<String> list = List.of(origins);
        return new OriginPolicy(list, list::indexOf);
    }

    /** The allowed origins, each as a client sends it ({@code scheme://host[:port]}). */
    public List<String> origins() {
        return origins;
    }

    /** The index in {@link #origins()} of {@code origin} (exactly as the client sent it), or {@code -1}. */
    public int indexOf(String origin) {
        return indexOf.applyAsInt(origin);
    }

    /** Whether {@code origin} (exactly as the client sent it) is allowed. */
    public boolean allows(String origin) {
        return indexOf(origin) >= 0;
    }
}
