package dev.dxreactor.cim;

import java.util.Arrays;

/**
 * Per-request values the hooks of one chain share: when the request arrived, the authenticated subject,
 * and typed slots ({@link ContextKey}). One per request, used on the event loop only.
 */
public final class MiddlewareContext {

    private final long startNanos;
    private String subject;
    private Object[] slots;

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
        Object[] s = slots;
        int i = key.index();
        return s != null && i < s.length ? (T) s[i] : null;
    }

    public <T> void put(ContextKey<T> key, T value) {
        int i = key.index();
        if (slots == null) {
            slots = new Object[Math.max(4, i + 1)];
        } else if (i >= slots.length) {
            slots = Arrays.copyOf(slots, Math.max(i + 1, slots.length * 2));
        }
        slots[i] = value;
    }
}
