package dev.dxreactor.dbteleport;

import java.io.Serial;

/**
 * A delta was refused because its topic needs a snapshot first: it has none yet, or already
 * {@code maxDeltasPerSnapshot} deltas since its last one. Publish a snapshot of the topic, then the delta again.
 */
public final class TopicSnapshotRequiredException extends IllegalStateException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int topic;

    TopicSnapshotRequiredException(int topic, String message) {
        super(message);
        this.topic = topic;
    }

    /** The topic that needs a snapshot. */
    public int topic() {
        return topic;
    }
}
