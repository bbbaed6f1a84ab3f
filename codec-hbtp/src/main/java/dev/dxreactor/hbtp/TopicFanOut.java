package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Topics and events of one server connection: SUBSCRIBE and UNSUBSCRIBE, the updates {@link HbtpTopics}
 * queues for this peer, CLIENT_EVENT to its handler and SERVER_EVENT out. Event loop only.
 *
 * <p>A topic update for a peer that is not reading is skipped rather than queued; once the peer reads again
 * it gets the topic's current state whole. Events cannot be skipped: they are queued, and the connection's
 * outbound bound closes a peer that lets them pile up.
 */
final class TopicFanOut {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFanOut.class);

    private final HbtpServerConfig config;
    private final HbtpServerHandler connection;
    private final ChannelHandlerContext ctx;
    private final HbtpServerSession session;
    private final ResponseBuffer responses;
    private final int peerMessageLimit;
    private final Set<Integer> subscribedTopics = new HashSet<>();
    private final Set<Integer> skippedTopics = new HashSet<>();

    TopicFanOut(HbtpServerConfig config, HbtpServerHandler connection, ChannelHandlerContext ctx,
                HbtpServerSession session, ResponseBuffer responses, int peerMessageLimit) {
        this.config = config;
        this.connection = connection;
        this.ctx = ctx;
        this.session = session;
        this.responses = responses;
        this.peerMessageLimit = peerMessageLimit;
    }

    void onSubscribe(ByteBuf body) {
        HbtpTopics topics = requireTopics("SUBSCRIBE");
        if (body.readableBytes() != 10) {
            throw HbtpServerHandler.protocolError("SUBSCRIBE is " + body.readableBytes() + " bytes; 10 expected");
        }
        int topic = body.readUnsignedShortLE();
        long knownVersion = body.readLongLE();
        subscribedTopics.add(topic);
        skippedTopics.remove(topic);
        topics.subscribe(session, topic, knownVersion);
    }

    void onUnsubscribe(ByteBuf body) {
        HbtpTopics topics = requireTopics("UNSUBSCRIBE");
        if (body.readableBytes() != 2) {
            throw HbtpServerHandler.protocolError("UNSUBSCRIBE is " + body.readableBytes() + " bytes; 2 expected");
        }
        int topic = body.readUnsignedShortLE();
        subscribedTopics.remove(topic);
        skippedTopics.remove(topic);
        topics.unsubscribe(session, topic);
    }

    private HbtpTopics requireTopics(String what) {
        if ((session.capabilities() & HbtpCapabilities.STATE) == 0 || config.topics() == null) {
            throw HbtpServerHandler.protocolError(what + " without the STATE capability");
        }
        return config.topics();
    }

    /** Writes a topic update queued by {@link HbtpTopics}; releases the buffers in every case. */
    void writeTopic(int topic, boolean withSnapshot, long snapshotVersion, ByteBuf snapshot,
                    List<HbtpTopics.Delta> deltas) {
        try {
            if (!subscribedTopics.contains(topic) || !connection.canWrite()) {
                return;
            }
            if (!ctx.channel().isWritable()) {
                skippedTopics.add(topic);
                return;
            }
            if (skippedTopics.contains(topic) && !withSnapshot) {
                return;
            }
            if (!fitsPeer(withSnapshot ? snapshot : null, deltas)) {
                // The client could never take this state; dropping it silently would leave it waiting.
                connection.warn("HBTP topic {} update exceeds the client's maximum message length of {};"
                        + " unsubscribing {}", topic, peerMessageLimit, ctx.channel());
                subscribedTopics.remove(topic);
                config.topics().unsubscribe(session, topic);
                return;
            }
            ByteBuf prefix = ctx.alloc().heapBuffer(18);
            try {
                if (withSnapshot) {
                    skippedTopics.remove(topic);
                    prefix.writeShortLE(topic).writeLongLE(snapshotVersion);
                    responses.writeMessage(HbtpOpcode.STATE_SYNC, 0, prefix, snapshot);
                }
                for (HbtpTopics.Delta d : deltas) {
                    prefix.clear().writeShortLE(topic).writeLongLE(d.base()).writeLongLE(d.version());
                    responses.writeMessage(HbtpOpcode.STATE_DELTA, 0, prefix, d.bytes());
                }
            } finally {
                prefix.release();
            }
            connection.flushUnlessInBurst();
        } finally {
            ReferenceCountUtil.release(snapshot);
            deltas.forEach(d -> d.bytes().release());
        }
    }

    private boolean fitsPeer(ByteBuf snapshot, List<HbtpTopics.Delta> deltas) {
        if (snapshot != null && 10 + snapshot.readableBytes() > peerMessageLimit) {
            return false;
        }
        for (HbtpTopics.Delta d : deltas) {
            if (18 + d.bytes().readableBytes() > peerMessageLimit) {
                return false;
            }
        }
        return true;
    }

    /** The peer reads again: every topic skipped meanwhile is sent whole. */
    void onWritable() {
        if (!skippedTopics.isEmpty() && config.topics() != null) {
            for (Integer topic : new ArrayList<>(skippedTopics)) {
                config.topics().resync(session, topic);
            }
        }
    }

    void onClientEvent(ByteBuf body) {
        if (body.readableBytes() < 2) {
            throw HbtpServerHandler.protocolError("CLIENT_EVENT without an event id");
        }
        int event = body.readUnsignedShortLE();
        HbtpEventHandler handler = config.eventHandler(event);
        if (handler == null) {
            LOG.debug("HBTP CLIENT_EVENT {} has no handler; dropped", event);
            return;
        }
        try {
            handler.onEvent(session, event, body);
        } catch (Exception e) {
            connection.warn("HBTP handler of CLIENT_EVENT {} failed on {}", event, ctx.channel(), e);
        }
    }

    void writeEvent(int event, ByteBuf payload) {
        try {
            if (!connection.canWrite()) {
                return;
            }
            responses.writeMessage(HbtpOpcode.SERVER_EVENT, 0, event, payload);
            connection.flushUnlessInBurst();
        } finally {
            payload.release();
        }
    }

    /** The connection is gone: leave every topic. */
    void unsubscribeAll() {
        if (config.topics() != null) {
            for (Integer topic : subscribedTopics) {
                config.topics().unsubscribe(session, topic);
            }
        }
        subscribedTopics.clear();
        skippedTopics.clear();
    }
}
