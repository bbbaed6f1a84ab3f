package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.List;

/**
 * A server connection in an {@link EmbeddedChannel}: the test plays the client by writing raw frames and
 * reads back what the server wrote, decoded by a codec of its own.
 */
final class ServerHarness implements AutoCloseable {

    final EmbeddedChannel channel;
    private final EmbeddedChannel decoder = new EmbeddedChannel(new HbtpFrameCodec());

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

    /** Sends one message (fragmented at 1 MiB); takes ownership of {@code body}. */
    void send(HbtpOpcode opcode, int flags, int sequence, ByteBuf body) {
        // A pooled direct buffer, so that the leak detector tracks everything the server slices off it.
        ByteBuf wire = ByteBufAllocator.DEFAULT.directBuffer();
        HbtpWire.writeMessage(wire, opcode, flags, sequence, body, 1 << 20);
        body.release();
        channel.writeInbound(wire);
        channel.runPendingTasks();
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

    /** The next frame the server wrote, or {@code null}. */
    HbtpFrame next() {
        channel.runPendingTasks();
        HbtpFrame frame = decoder.readInbound();
        if (frame != null) {
            return frame;
        }
        for (Object out; (out = channel.readOutbound()) != null; ) {
            decoder.writeInbound(out);
        }
        return decoder.readInbound();
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
