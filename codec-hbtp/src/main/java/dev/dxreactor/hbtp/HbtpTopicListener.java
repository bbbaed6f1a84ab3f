package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;

/**
 * Receives a topic's state on the client's event loop: a full state, then the deltas that follow it in
 * order. The client checks that each delta applies to the version the listener holds; on a gap it asks
 * the server again and the listener next sees a sync or the missing deltas. Buffers are released after
 * each call; retain them to keep them.
 */
public interface HbtpTopicListener {

    /** The whole state at {@code version}; replaces whatever the listener held. */
    void onSync(int topic, long version, ByteBuf state);

    /** A change from {@code baseVersion} (the version the listener holds) to {@code version}. */
    void onDelta(int topic, long baseVersion, long version, ByteBuf delta);
}
