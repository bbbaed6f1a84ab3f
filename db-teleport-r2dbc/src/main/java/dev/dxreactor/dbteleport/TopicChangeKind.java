package dev.dxreactor.dbteleport;

/** What a change of a bridged topic is; stored in the log's {@code kind} column as its {@link #code()}. */
public enum TopicChangeKind {
    /** The whole state of the topic: {@code HbtpTopics.publish}. */
    SNAPSHOT(0),
    /** A change against the state before it: {@code HbtpTopics.publishDelta}. */
    DELTA(1);

    private final short code;

    TopicChangeKind(int code) {
        this.code = (short) code;
    }

    /** The value in the log table's {@code kind} column. */
    public short code() {
        return code;
    }

    static TopicChangeKind of(short code) {
        return switch (code) {
            case 0 -> SNAPSHOT;
            case 1 -> DELTA;
            default -> throw new IllegalArgumentException("unknown topic change kind " + code);
        };
    }
}
