package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

import java.net.SocketAddress;

/**
 * One client connection after its handshake, as application code sees it: push SERVER_EVENTs, close it,
 * look at what was negotiated. Safe to use from any thread.
 */
public final class HbtpServerSession {

    static final AttributeKey<HbtpServerSession> KEY = AttributeKey.valueOf(HbtpServerSession.class, "session");

    private final Channel channel;
    private final HbtpServerHandler handler;
    private final HbtpHello peerHello;
    private final int capabilities;

    HbtpServerSession(Channel channel, HbtpServerHandler handler, HbtpHello peerHello, int capabilities) {
        this.channel = channel;
        this.handler = handler;
        this.peerHello = peerHello;
        this.capabilities = capabilities;
    }

    /** The session of a channel served by {@link HbtpServerInitializer}, or {@code null} before HELLO. */
    public static HbtpServerSession of(Channel channel) {
        return channel.attr(KEY).get();
    }

    public Channel channel() {
        return channel;
    }

    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** The capabilities both sides agreed on. */
    public int capabilities() {
        return capabilities;
    }

    /** The client's HELLO: its limits. */
    public HbtpHello peerHello() {
        return peerHello;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * Sends SERVER_EVENT {@code event} with {@code payload}, which this takes ownership of. Dropped (and
     * released) when the connection is closing.
     *
     * @throws IllegalArgumentException if the event id is not a u16, or the event is larger than the
     *                                  client's maximum message length (the payload is released)
     */
    public void sendEvent(int event, ByteBuf payload) {
        if (event < 0 || event > 0xFFFF) {
            ReferenceCountUtil.release(payload);
            throw new IllegalArgumentException("event id " + event + " is outside 0..65535");
        }
        if (2 + payload.readableBytes() > peerHello.messageLimit()) {
            int size = payload.readableBytes();
            ReferenceCountUtil.release(payload);
            throw new IllegalArgumentException("event of " + size + " bytes exceeds the client's maximum message"
                    + " length of " + peerHello.messageLimit());
        }
        if (channel.eventLoop().inEventLoop()) {
            handler.writeEvent(event, payload);
        } else {
            channel.eventLoop().execute(() -> handler.writeEvent(event, payload));
        }
    }

    /**
     * Starts the CLOSE handshake: sends CLOSE with the code and reason, answers no further calls, and closes
     * once the client answers (or after the pong timeout).
     */
    public void close(int code, String reason) {
        channel.eventLoop().execute(() -> handler.startClose(code, reason));
    }

    /**
     * Closes gracefully, for a server that is shutting down: from now on new calls are answered
     * {@link HbtpStatus#UNAVAILABLE}; the calls already running finish and are answered; then CLOSE goes out with
     * {@code code} (usually {@link HbtpCloseCode#GOING_AWAY}) and the connection closes once the client answers it
     * (or after the pong timeout). A call that never ends keeps the connection open: bound the wait and call
     * {@link #close} after it.
     */
    public void goAway(int code, String reason) {
        channel.eventLoop().execute(() -> handler.goAway(code, reason));
    }

    void topicTask(Runnable task) {
        channel.eventLoop().execute(task);
    }

    HbtpServerHandler handler() {
        return handler;
    }

    @Override
    public String toString() {
        return "HbtpServerSession(" + channel.remoteAddress() + ")";
    }
}
