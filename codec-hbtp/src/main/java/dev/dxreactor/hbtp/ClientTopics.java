package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * Topics and events of one client connection: SUBSCRIBE and UNSUBSCRIBE, STATE_SYNC and STATE_DELTA to the
 * subscriptions' listeners in version order, SERVER_EVENT to its listener, and the subscriptions asked for again
 * on a new connection. The subscriptions and listeners are the client's ({@link ClientState}); this connection
 * only serves them. Event loop only.
 */
final class ClientTopics {

    private static final Logger LOG = LoggerFactory.getLogger(ClientTopics.class);

    private final ClientState state;
    private final ChannelHandlerContext ctx;
    /** Whether frames may still be written on this connection (open, and no CLOSE sent). */
    private final BooleanSupplier writable;

    ClientTopics(ClientState state, ChannelHandlerContext ctx, BooleanSupplier writable) {
        this.state = state;
        this.ctx = ctx;
        this.writable = writable;
    }

    void subscribe(HbtpSubscription subscription, int agreedCapabilities) {
        if ((agreedCapabilities & HbtpCapabilities.STATE) == 0) {
            throw new HbtpException(HbtpErrorCategory.PROTOCOL, false,
                    "the server does not serve topics (STATE capability not agreed)", null);
        }
        if (state.subscriptions.containsKey(subscription.topic())) {
            throw new HbtpException(HbtpErrorCategory.APPLICATION,
                    "already subscribed to topic " + subscription.topic());
        }
        state.subscriptions.put(subscription.topic(), subscription);
        sendSubscribe(subscription.topic(), 0);
    }

    void unsubscribe(HbtpSubscription subscription) {
        if (state.subscriptions.get(subscription.topic()) != subscription) {
            return;
        }
        state.subscriptions.remove(subscription.topic());
        if (writable.getAsBoolean()) {
            ByteBuf out = ctx.alloc().ioBuffer(HbtpHeader.SIZE + 2);
            HbtpHeader.write(out, HbtpOpcode.UNSUBSCRIBE.code(), HbtpFlags.FINAL, 0, 2);
            out.writeShortLE(subscription.topic());
            ctx.writeAndFlush(out, ctx.voidPromise());
        }
    }

    /**
     * A client that reconnected asks again for every topic it was subscribed to, from the version its listener
     * holds: the server answers with the deltas since, or with a whole state when its history does not reach
     * back that far (or it restarted).
     */
    void resubscribe(int agreedCapabilities) {
        if (state.subscriptions.isEmpty()) {
            return;
        }
        if ((agreedCapabilities & HbtpCapabilities.STATE) == 0) {
            LOG.warn("HBTP server {} no longer serves topics; {} subscription(s) get no updates", ctx.channel(),
                    state.subscriptions.size());
            return;
        }
        for (HbtpSubscription sub : state.subscriptions.values()) {
            sub.resyncing = false;
            sendSubscribe(sub.topic(), sub.version);
        }
    }

    private void sendSubscribe(int topic, long knownVersion) {
        if (!writable.getAsBoolean()) {
            return;
        }
        ByteBuf out = ctx.alloc().ioBuffer(HbtpHeader.SIZE + 10);
        HbtpHeader.write(out, HbtpOpcode.SUBSCRIBE.code(), HbtpFlags.FINAL, 0, 10);
        out.writeShortLE(topic).writeLongLE(knownVersion);
        ctx.writeAndFlush(out, ctx.voidPromise());
    }

    void onStateSync(ByteBuf body) {
        if (body.readableBytes() < 10) {
            throw HbtpClientHandler.protocolError("STATE_SYNC shorter than its topic and version");
        }
        int topic = body.readUnsignedShortLE();
        long version = body.readLongLE();
        HbtpSubscription sub = state.subscriptions.get(topic);
        if (sub == null) {
            return;
        }
        sub.version = version;
        sub.resyncing = false;
        try {
            sub.listener.onSync(topic, version, body);
        } catch (RuntimeException e) {
            LOG.warn("HBTP topic listener for topic {} failed", topic, e);
        }
    }

    void onStateDelta(ByteBuf body) {
        if (body.readableBytes() < 18) {
            throw HbtpClientHandler.protocolError("STATE_DELTA shorter than its topic and versions");
        }
        int topic = body.readUnsignedShortLE();
        long base = body.readLongLE();
        long version = body.readLongLE();
        HbtpSubscription sub = state.subscriptions.get(topic);
        if (sub == null || version <= sub.version) {
            return; // not subscribed, or already applied
        }
        if (base != sub.version) {
            if (!sub.resyncing) {
                sub.resyncing = true;
                sendSubscribe(topic, sub.version);
            }
            return;
        }
        sub.version = version;
        sub.resyncing = false;
        try {
            sub.listener.onDelta(topic, base, version, body);
        } catch (RuntimeException e) {
            LOG.warn("HBTP topic listener for topic {} failed", topic, e);
        }
    }

    void onEvent(ByteBuf body) {
        if (body.readableBytes() < 2) {
            throw HbtpClientHandler.protocolError("SERVER_EVENT without an event id");
        }
        int event = body.readUnsignedShortLE();
        HbtpClientEventListener listener = state.eventListeners.get(event);
        if (listener == null) {
            return;
        }
        try {
            listener.onEvent(event, body);
        } catch (RuntimeException e) {
            LOG.warn("HBTP listener of SERVER_EVENT {} failed", event, e);
        }
    }
}
