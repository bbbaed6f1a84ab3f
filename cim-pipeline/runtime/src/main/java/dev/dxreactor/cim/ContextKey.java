package dev.dxreactor.cim;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A typed slot of {@link MiddlewareContext}. Each key gets a small index when created, so a lookup is an
 * array access, not a map lookup. Create keys once, as constants.
 *
 * @param <T> the value's type
 */
public final class ContextKey<T> {

    private static final AtomicInteger NEXT_INDEX = new AtomicInteger();

    private final String name;
    private final int index;

    private ContextKey(String name) {
        this.name = name;
        this.index = NEXT_INDEX.getAndIncrement();
    }

    /** A new key; {@code name} is only for {@link #toString()}. */
    public static <T> ContextKey<T> of(String name) {
        return new ContextKey<>(name);
    }

    int index() {
        return index;
    }

    @Override
    public String toString() {
        return "ContextKey(" + name + ")";
    }
}
