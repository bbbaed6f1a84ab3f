package dev.dxreactor.hbtp;

import java.util.function.Consumer;

/**
 * A client's subscription to one topic; {@link #close()} unsubscribes. It outlives a lost connection when the
 * client reconnects: the new connection subscribes again from the version the listener holds.
 */
public final class HbtpSubscription implements AutoCloseable {

    /** Unsubscribes on whatever connection the client has then. */
    private final Consumer<HbtpSubscription> unsubscribe;
    private final int topic;
    final HbtpTopicListener listener;
    /** The version the listener holds; event loop only. */
    long version;
    /** A gap was seen and SUBSCRIBE sent again; deltas are ignored until the answer. Event loop only. */
    boolean resyncing;

    HbtpSubscription(Consumer<HbtpSubscription> unsubscribe, int topic,
                     HbtpTopicListener listener) {
        this.unsubscribe = unsubscribe;
        this.topic = topic;
        this.listener = listener;
    }

    public int topic() {
        return topic;
    }

    @Override
    public void close() {
        unsubscribe.accept(this);
    }
}
