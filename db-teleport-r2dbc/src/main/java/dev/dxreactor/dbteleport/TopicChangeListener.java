package dev.dxreactor.dbteleport;

import io.netty.buffer.ByteBuf;

/**
 * Told of each change a {@link PgTopicBridge} applied to its local topics, in the order it applied them
 * (per topic: seq order). Set with {@link PgTopicBridge.Builder#listener}; for logging, metrics or tests.
 *
 * <p>Called while the topic's changes are held in order, on the listener connection's thread or on the
 * thread that read a catch-up from the table: it must return quickly and must not block. An exception it
 * throws is logged and changes nothing.
 */
@FunctionalInterface
public interface TopicChangeListener {

    /**
     * @param topic   the topic id
     * @param seq     the change's number in the topic's log, the same on every server
     * @param kind    snapshot or delta
     * @param version the version the local {@code HbtpTopics} gave it (per server: see the README)
     * @param payload the change's bytes, read-only and valid only during the call
     */
    void applied(int topic, long seq, TopicChangeKind kind, long version, ByteBuf payload);
}
