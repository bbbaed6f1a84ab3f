package dev.dxreactor.hbtp;

/** A client's subscription to one topic; {@link #close()} unsubscribes. */
public final class HbtpSubscription implements AutoCloseable {

    private final HbtpClientHandler handler;
    private final int topic;
    final HbtpTopicListener listener;
    /** The version the listener holds; event loop only. */
    long version;
    /** A gap was seen and SUBSCRIBE sent again; deltas are ignored until the answer. Event loop only. */
    boolean resyncing;

    HbtpSubscription(HbtpClientHandler handler, int topic, HbtpTopicListener listener) {
        this.handler = handler;
        this.topic = topic;
        this.listener = listener;
    }

    public int topic() {
        return topic;
    }

    @Override
    public void close() {
        handler.unsubscribe(this);
    }
}
