package dev.dxreactor.cim;

import java.util.Arrays;
import java.util.Objects;

/**
 * Per-request values the hooks of one chain share: when the request arrived, the authenticated subject,
 * and typed slots ({@link ContextKey}): the first two keys put are held in fields, any more in an array indexed
 * by the key, so neither a lookup nor (for up to two keys) a store allocates. One per request, used on the event
 * loop only.
 */
public final class MiddlewareContext {

    private final long startNanos;
    private String subject;
    // The first two keys a request uses live in fields: chains rarely use more, and fields cost no allocation.
    private ContextKey<?> firstKey;
    private Object firstValue;
    private ContextKey<?> secondKey;
    private Object secondValue;
    private Object[] moreValues;

    /** @param startNanos the {@link CimConfig#nanoClock()} reading when the request arrived */
    public MiddlewareContext(long startNanos) {
        this.startNanos = startNanos;
    }

    /** The {@link CimConfig#nanoClock()} reading when the request arrived. */
    public long startNanos() {
        return startNanos;
    }

    /** The authenticated subject (JWT {@code sub}), or {@code null} before authentication. */
    public String subject() {
        return subject;
    }

    public void subject(String subject) {
        this.subject = subject;
    }

    /** The value stored under {@code key}, or {@code null}. */
    @SuppressWarnings("unchecked")
    public <T> T get(ContextKey<T> key) {
        if (firstKey == key) {
            return (T) firstValue;
        }
        if (secondKey == key) {
            return (T) secondValue;
        }
        Object[] more = moreValues;
        int i = key.index();
        return more != null && i < more.length ? (T) more[i] : null;
    }

    public <T> void put(ContextKey<T> key, T value) {
        Objects.requireNonNull(key, "key");
        if (firstKey == null || firstKey == key) {
            firstKey = key;
            firstValue = value;
        } else if (secondKey == null || secondKey == key) {
            secondKey = key;
            secondValue = value;
        } else {
            int i = key.index();
            if (moreValues == null) {
                moreValues = new Object[Math.max(4, i + 1)];
            } else if (i >= moreValues.length) {
                moreValues = Arrays.copyOf(moreValues, Math.max(i + 1, moreValues.length * 2));
            }
            moreValues[i] = value;
        }
    }
}
