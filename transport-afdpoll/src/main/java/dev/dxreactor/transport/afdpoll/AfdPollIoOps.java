package dev.dxreactor.transport.afdpoll;

import io.netty.channel.IoOps;

/**
 * The interest a channel wants (its <em>desired</em> interest): what {@link io.netty.channel.IoRegistration#submit}
 * takes. Submitting only records it; the {@link AfdPollIoHandler} turns the desired interest into at most one
 * AFD poll per socket just before it waits, so a burst of changes in one loop iteration costs one submission.
 * An empty interest leaves the socket unarmed.
 */
public final class AfdPollIoOps implements IoOps {

    /** Data (or the peer's FIN or RST) to read. */
    public static final int READ = 1;
    /** Room in the send buffer; wanted only while a write could not finish. */
    public static final int WRITE = 1 << 1;
    /** A connection to accept. */
    public static final int ACCEPT = 1 << 2;
    /** The outcome of a non-blocking connect. */
    public static final int CONNECT = 1 << 3;
    /**
     * The peer's FIN or RST, also while nothing is being read, so a half-close or a reset is noticed as Netty's
     * other transports notice it. Each is reported once: both last, and a poll asking for them again would
     * complete at once, forever.
     */
    public static final int HANGUP = 1 << 4;

    private static final AfdPollIoOps[] CACHE = new AfdPollIoOps[32];

    static {
        for (int value = 0; value < CACHE.length; value++) {
            CACHE[value] = new AfdPollIoOps(value);
        }
    }

    /** No interest: the socket stays unarmed. */
    public static final AfdPollIoOps NONE = CACHE[0];

    private final int value;

    private AfdPollIoOps(int value) {
        this.value = value;
    }

    /** The ops for {@code value}, a combination of {@link #READ}, {@link #WRITE}, {@link #ACCEPT}, {@link #CONNECT},
     *     {@link #HANGUP}. */
    public static AfdPollIoOps valueOf(int value) {
        if ((value & ~(CACHE.length - 1)) != 0) {
            throw new IllegalArgumentException("unknown AfdPollIoOps bits: 0x" + Integer.toHexString(value));
        }
        return CACHE[value];
    }

    public int value() {
        return value;
    }

    public boolean contains(int ops) {
        return (value & ops) == ops;
    }

    public AfdPollIoOps with(int ops) {
        return valueOf(value | ops);
    }

    public AfdPollIoOps without(int ops) {
        return valueOf(value & ~ops);
    }

    @Override
    public String toString() {
        if (value == 0) {
            return "NONE";
        }
        StringBuilder names = new StringBuilder();
        append(names, READ, "READ");
        append(names, WRITE, "WRITE");
        append(names, ACCEPT, "ACCEPT");
        append(names, CONNECT, "CONNECT");
        append(names, HANGUP, "HANGUP");
        return names.toString();
    }

    private void append(StringBuilder names, int bit, String name) {
        if ((value & bit) != 0) {
            names.append(names.isEmpty() ? "" : "|").append(name);
        }
    }
}
