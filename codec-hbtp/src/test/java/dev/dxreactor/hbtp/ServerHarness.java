package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * A server connection in an {@link EmbeddedChannel}: the test plays the client by writing raw frames and
 * reads back what the server wrote, decoded by a codec of its own. After {@link #handshakeEncrypted} that
 * codec also seals what the test sends and opens what the server sends.
 */
final class ServerHarness implements AutoCloseable {

    final EmbeddedChannel channel;
    private final HbtpFrameCodec clientCodec = new HbtpFrameCodec();
    private final EmbeddedChannel decoder = new EmbeddedChannel(clientCodec);

    ServerHarness(HbtpServerConfig config) {
        channel = new EmbeddedChannel(new HbtpServerInitializer(config));
    }

    /** Sends a valid HELLO and returns the server's HELLO_ACK. */
    HbtpHello handshake(int capabilities) {
        ByteBuf body = Unpooled.buffer();
        new HbtpHello(HbtpHello.VERSION, capabilities, 1 << 20, 16 << 20).write(body);
        send(HbtpOpcode.HELLO, HbtpFlags.FINAL, 0, body);
        HbtpFrame ack = next();
        try {
            if (ack.opcode() != HbtpOpcode.HELLO_ACK) {
                throw new AssertionError("expected HELLO_ACK, got " + ack);
            }
            return HbtpHello.read(ack.payload());
        } finally {
            ack.release();
        }
    }

    /**
     * Offers ENCRYPTION with {@code capabilities}, reads HELLO_ACK, derives the keys with {@code psk}, answers
     * the server's key-confirmation PING, and from then on seals and opens every frame.
     */
    HbtpHello handshakeEncrypted(int capabilities, byte[] psk) {
        HbtpHello ack = helloEncrypted(capabilities, psk, 1 << 20);
        answerKeyConfirmation();
        return ack;
    }

    /** {@link #handshakeEncrypted} announcing {@code maxFrameLength} as the largest frame this client takes. */
    HbtpHello handshakeEncryptedWithFrameLimit(int capabilities, int maxFrameLength) {
        HbtpHello ack = helloEncrypted(capabilities, null, maxFrameLength);
        answerKeyConfirmation();
        return ack;
    }

    /** HELLO offering ENCRYPTION, then HELLO_ACK; the server's key-confirmation PING is left unread. */
    HbtpHello helloEncrypted(int capabilities, byte[] psk, int maxFrameLength) {
        HbtpKeyExchange exchange = HbtpKeyExchange.start();
        HbtpHello hello = new HbtpHello(HbtpHello.VERSION, capabilities | HbtpCapabilities.ENCRYPTION,
                maxFrameLength, 16 << 20, exchange.publicKey());
        ByteBuf body = Unpooled.wrappedBuffer(hello.body());
        send(HbtpOpcode.HELLO, HbtpFlags.FINAL, 0, body);
        HbtpFrame frame = next();
        HbtpHello ack;
        try {
            if (frame == null || frame.opcode() != HbtpOpcode.HELLO_ACK) {
                throw new AssertionError("expected HELLO_ACK, got " + frame);
            }
            ack = HbtpHello.read(frame.payload());
        } finally {
            ReferenceCountUtil.release(frame);
        }
        clientCodec.startEncryption(exchange.finish(true, hello, ack, psk));
        return ack;
    }

    private void answerKeyConfirmation() {
        HbtpFrame ping = next();
        try {
            if (ping == null || ping.opcode() != HbtpOpcode.PING) {
                throw new AssertionError("expected the key-confirmation PING, got " + ping);
            }
            send(HbtpOpcode.PONG, HbtpFlags.FINAL, ping.sequence(), ping.payload().retain());
        } finally {
            ReferenceCountUtil.release(ping);
        }
    }

    /** Sends one message (fragmented at 1 MiB); takes ownership of {@code body}. */
    void send(HbtpOpcode opcode, int flags, int sequence, ByteBuf body) {
        send(opcode, flags, sequence, body, 1 << 20);
    }

    /** Sends one message in frames of at most {@code maxFrameLength}; takes ownership of {@code body}. */
    void send(HbtpOpcode opcode, int flags, int sequence, ByteBuf body, int maxFrameLength) {
        channel.writeInbound(wire(opcode, flags, sequence, body, maxFrameLength));
        channel.runPendingTasks();
    }

    /** The bytes {@link #send} would send, sealed once encryption has started; takes ownership of {@code body}. */
    ByteBuf wire(HbtpOpcode opcode, int flags, int sequence, ByteBuf body, int maxFrameLength) {
        // A pooled direct buffer, so that the leak detector tracks everything the server slices off it.
        ByteBuf wire = ByteBufAllocator.DEFAULT.directBuffer();
        HbtpWire.writeMessage(wire, opcode, flags, sequence, body, maxFrameLength);
        body.release();
        if (!clientCodec.isEncrypting()) {
            return wire;
        }
        decoder.writeOutbound(wire);
        return decoder.readOutbound();
    }

    void sendRaw(ByteBuf bytes) {
        channel.writeInbound(bytes);
        channel.runPendingTasks();
    }

    /** An RPC_CALL expecting a response. */
    void call(int sequence, int route, byte[] request) {
        call(sequence, route, request, HbtpMetadata.empty(), true);
    }

    void call(int sequence, int route, byte[] request, HbtpMetadata metadata, boolean expectsResponse) {
        ByteBuf body = Unpooled.buffer();
        int flags = expectsResponse ? HbtpFlags.EXPECTS_RESPONSE : 0;
        if (!metadata.isEmpty()) {
            metadata.write(body);
            flags |= HbtpFlags.METADATA;
        }
        body.writeShortLE(route).writeBytes(request);
        send(HbtpOpcode.RPC_CALL, flags, sequence, body);
    }

    /**
     * The next frame the server wrote, or {@code null}. The server's writes are decoded one at a time, so a
     * HELLO_ACK is returned before the sealed frames behind it are decoded.
     */
    HbtpFrame next() {
        channel.runPendingTasks();
        HbtpFrame frame = decoder.readInbound();
        for (Object out; frame == null && (out = channel.readOutbound()) != null; ) {
            decoder.writeInbound(out);
            frame = decoder.readInbound();
        }
        return frame;
    }

    /** Hands bytes taken with {@link #nextRaw()} to this side's decoder, for {@link #next()} to return. */
    void sendRawToClientDecoder(ByteBuf bytes) {
        decoder.writeInbound(bytes);
    }

    /** The next buffer the server wrote, as it went on the wire. Caller releases. */
    ByteBuf nextRaw() {
        channel.runPendingTasks();
        return channel.readOutbound();
    }

    /** Every frame the server wrote so far. Caller releases. */
    List<HbtpFrame> drain() {
        List<HbtpFrame> frames = new ArrayList<>();
        for (HbtpFrame f; (f = next()) != null; ) {
            frames.add(f);
        }
        return frames;
    }

    /** The close code of the CLOSE the server sent next, failing when the next frame is something else. */
    int expectClose() {
        HbtpFrame frame = next();
        try {
            if (frame == null || frame.opcode() != HbtpOpcode.CLOSE) {
                throw new AssertionError("expected CLOSE, got " + frame);
            }
            return frame.payload().getUnsignedShortLE(frame.payload().readerIndex());
        } finally {
            if (frame != null) {
                frame.release();
            }
        }
    }

    static String reasonOf(HbtpFrame close) {
        return close.payload().toString(close.payload().readerIndex() + 2, close.payload().readableBytes() - 2,
                java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }
}
