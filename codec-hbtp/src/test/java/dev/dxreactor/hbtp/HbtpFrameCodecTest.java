package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class HbtpFrameCodecTest {

    private static final int MAX_FRAME = 1024;
    private static final int MAX_MESSAGE = 8192;

    /** A message as a sender means it: one opcode, flags, sequence and body, before framing. */
    record Message(HbtpOpcode opcode, int flags, int sequence, byte[] body) {
        @Override
        public String toString() {
            return opcode + " " + HbtpFlags.toString(flags) + " seq " + sequence + " " + body.length + " B";
        }
    }

    @Property(tries = 300)
    void messagesRoundTripThroughFragmentsAndArbitraryChunkBoundaries(
            @ForAll("messages") List<Message> messages,
            @ForAll @IntRange(min = 64, max = MAX_FRAME) int senderFrameLength,
            @ForAll long chunkSeed) {
        ByteBuf wire = Unpooled.buffer();
        for (Message m : messages) {
            HbtpWire.writeMessage(wire, m.opcode(), m.flags(), m.sequence(), Unpooled.wrappedBuffer(m.body()),
                    senderFrameLength);
        }
        EmbeddedChannel channel = new EmbeddedChannel(new HbtpFrameCodec(MAX_FRAME, MAX_MESSAGE, 1024));
        try {
            Random random = new Random(chunkSeed);
            while (wire.isReadable()) {
                int chunk = Math.min(wire.readableBytes(), 1 + random.nextInt(300));
                channel.writeInbound(wire.readRetainedSlice(chunk));
            }
            for (Message expected : messages) {
                HbtpFrame frame = channel.readInbound();
                assertThat(frame).as("frame for %s", expected).isNotNull();
                try {
                    assertThat(frame.opcode()).isEqualTo(expected.opcode());
                    assertThat(frame.flags()).isEqualTo(expected.flags() | HbtpFlags.FINAL);
                    assertThat(frame.sequence()).isEqualTo(expected.sequence());
                    assertThat(bytes(frame.payload())).isEqualTo(expected.body());
                } finally {
                    frame.release();
                }
            }
            assertThat(channel.<Object>readInbound()).isNull();
        } finally {
            wire.release();
            channel.finishAndReleaseAll();
        }
    }

    @Property(tries = 200)
    void encodingAFrameWritesHeaderAndPayloadExactly(@ForAll("messages") List<Message> messages) {
        EmbeddedChannel channel = new EmbeddedChannel(new HbtpFrameCodec());
        try {
            for (Message m : messages) {
                channel.writeOutbound(new HbtpFrame(m.opcode(), m.flags() | HbtpFlags.FINAL, m.sequence(),
                        Unpooled.wrappedBuffer(m.body())));
                ByteBuf out = channel.readOutbound();
                try {
                    assertThat(out.readableBytes()).isEqualTo(HbtpHeader.SIZE + m.body().length);
                    assertThat(HbtpHeader.opcode(out, 0)).isEqualTo(m.opcode().code());
                    assertThat(HbtpHeader.flags(out, 0)).isEqualTo(m.flags() | HbtpFlags.FINAL);
                    assertThat(HbtpHeader.sequence(out, 0)).isEqualTo(m.sequence());
                    assertThat(HbtpHeader.length(out, 0)).isEqualTo(m.body().length);
                    assertThat(bytes(out.slice(HbtpHeader.SIZE, m.body().length))).isEqualTo(m.body());
                } finally {
                    out.release();
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aPartialHeaderWaitsForMoreBytes() {
        EmbeddedChannel channel = new EmbeddedChannel(new HbtpFrameCodec());
        try {
            assertThat(channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{0x00, 0x08, 0x01}))).isFalse();
            assertThat(channel.isOpen()).isTrue();
            ByteBuf rest = Unpooled.buffer();
            rest.writeByte(0).writeIntLE(0);
            assertThat(channel.writeInbound(rest)).isTrue();
            HbtpFrame ping = channel.readInbound();
            assertThat(ping.opcode()).isEqualTo(HbtpOpcode.PING);
            assertThat(ping.sequence()).isEqualTo(1);
            ping.release();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aReservedFlagBitIsAProtocolError() {
        assertRejected(frameHeader(0x00, 0x08 | 0x20, 1, 0), HbtpCloseCode.PROTOCOL_ERROR, "reserved flag bits 0x20");
    }

    @Test
    void anUnknownOpcodeIsUnsupported() {
        assertRejected(frameHeader(0x7F, 0x08, 1, 0), HbtpCloseCode.UNSUPPORTED, "unknown opcode 0x7f");
    }

    @Test
    void aLengthOverTheLimitIsRejectedFromTheHeaderAlone() {
        // Only the 8 header bytes arrive: the decoder must refuse before waiting for (or allocating) 4 GiB.
        assertRejected(frameHeader(0x30, 0x08, 1, 0xFFFF_FFFFL), HbtpCloseCode.TOO_LARGE,
                "frame length 4294967295 exceeds the maximum of " + MAX_FRAME);
    }

    @Test
    void aFragmentWithAnotherOpcodeIsAProtocolError() {
        ByteBuf wire = frameHeader(0x30, HbtpFlags.EXPECTS_RESPONSE, 5, 2).writeShortLE(1);
        wire.writeBytes(frameHeader(0x40, HbtpFlags.FINAL, 5, 0));
        assertRejected(wire, HbtpCloseCode.PROTOCOL_ERROR, "interrupts the fragmented RPC_CALL seq 5");
    }

    @Test
    void aFragmentWithOtherFlagsIsAProtocolError() {
        ByteBuf wire = frameHeader(0x30, HbtpFlags.EXPECTS_RESPONSE, 5, 2).writeShortLE(1);
        wire.writeBytes(frameHeader(0x30, HbtpFlags.FINAL, 5, 0));
        assertRejected(wire, HbtpCloseCode.PROTOCOL_ERROR, "differ from the first fragment");
    }

    @Test
    void aMessageLongerThanTheLimitIsRejectedBeforeItIsCollected() {
        ByteBuf wire = Unpooled.buffer();
        for (int i = 0; i < MAX_MESSAGE / MAX_FRAME; i++) {
            wire.writeBytes(frameHeader(0x30, 0, 9, MAX_FRAME)).writeZero(MAX_FRAME);
        }
        wire.writeBytes(frameHeader(0x30, HbtpFlags.FINAL, 9, 1)).writeZero(1);
        assertRejected(wire, HbtpCloseCode.TOO_LARGE, "message exceeds the maximum length of " + MAX_MESSAGE);
    }

    @Test
    void tooManyFragmentsAreRejected() {
        ByteBuf wire = Unpooled.buffer();
        for (int i = 0; i < 5; i++) {
            wire.writeBytes(frameHeader(0x30, 0, 9, 1)).writeByte(i);
        }
        EmbeddedChannel channel = new EmbeddedChannel(new HbtpFrameCodec(MAX_FRAME, MAX_MESSAGE, 4));
        assertRejected(channel, wire, HbtpCloseCode.TOO_LARGE, "more than 4 fragments");
    }

    @Test
    void afterAViolationTheRestOfTheStreamIsDiscarded() {
        EmbeddedChannel channel = new EmbeddedChannel(new HbtpFrameCodec(MAX_FRAME, MAX_MESSAGE, 1024));
        try {
            catchThrowableOfType(DecoderException.class,
                    () -> channel.writeInbound(frameHeader(0x7F, 0x08, 1, 0)));
            ByteBuf valid = frameHeader(0x00, HbtpFlags.FINAL, 2, 0);
            assertThat(channel.writeInbound(valid)).isFalse();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static void assertRejected(ByteBuf wire, int closeCode, String reason) {
        assertRejected(new EmbeddedChannel(new HbtpFrameCodec(MAX_FRAME, MAX_MESSAGE, 1024)), wire, closeCode, reason);
    }

    private static void assertRejected(EmbeddedChannel channel, ByteBuf wire, int closeCode, String reason) {
        try {
            HbtpProtocolException e = catchThrowableOfType(HbtpProtocolException.class,
                    () -> channel.writeInbound(wire));
            assertThat(e).as("expected a protocol error").isNotNull();
            assertThat(e.closeCode()).isEqualTo(closeCode);
            assertThat(e.reason()).contains(reason);
            assertThat(channel.<Object>readInbound()).isNull();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    static ByteBuf frameHeader(int opcode, int flags, int sequence, long length) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte(opcode).writeByte(flags).writeShortLE(sequence).writeIntLE((int) length);
        return buf;
    }

    static byte[] bytes(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }

    /** The codec's errors as they reach the next handler, for the frame timeout's tests. */
    private static final class Errors extends io.netty.channel.ChannelInboundHandlerAdapter {
        final List<Throwable> seen = new java.util.ArrayList<>();

        @Override
        public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
            seen.add(cause);
        }
    }

    private static EmbeddedChannel timedCodec(Errors errors) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new HbtpFrameCodec(MAX_FRAME, MAX_MESSAGE, 1024, java.time.Duration.ofSeconds(5)),
                errors);
        return channel;
    }

    @Test
    void aFrameStartedAndNotFinishedWithinTheFrameTimeoutFailsWith1001() {
        Errors errors = new Errors();
        EmbeddedChannel channel = timedCodec(errors);
        channel.writeInbound(frameHeader(HbtpOpcode.RPC_CALL.code(), HbtpFlags.FINAL, 1, 100).writeZero(10));
        for (int i = 0; i < 4; i++) {
            // A byte a second: each within the timeout, the frame as a whole not.
            channel.advanceTimeBy(1, java.util.concurrent.TimeUnit.SECONDS);
            channel.runScheduledPendingTasks();
            channel.writeInbound(Unpooled.buffer().writeByte(0));
        }
        assertThat(errors.seen).isEmpty();
        channel.advanceTimeBy(1, java.util.concurrent.TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(errors.seen).singleElement().isInstanceOfSatisfying(HbtpProtocolException.class,
                e -> assertThat(e.closeCode()).isEqualTo(HbtpCloseCode.GOING_AWAY));
        channel.finishAndReleaseAll();
    }

    @Test
    void theFrameTimeoutStopsWhileReadingIsOffAndEndsWithTheFrame() {
        Errors errors = new Errors();
        EmbeddedChannel channel = timedCodec(errors);
        byte[] frame = new byte[HbtpHeader.SIZE + 100];
        ByteBuf header = frameHeader(HbtpOpcode.RPC_CALL.code(), HbtpFlags.FINAL, 1, 100);
        header.readBytes(frame, 0, HbtpHeader.SIZE);
        header.release();
        channel.writeInbound(Unpooled.wrappedBuffer(frame, 0, 50));
        channel.config().setAutoRead(false);
        channel.advanceTimeBy(20, java.util.concurrent.TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(errors.seen).as("this end paused reading: the peer is not the slow one").isEmpty();

        channel.config().setAutoRead(true);
        channel.writeInbound(Unpooled.wrappedBuffer(frame, 50, frame.length - 50));
        HbtpFrame whole = channel.readInbound();
        assertThat(whole.payload().readableBytes()).isEqualTo(100);
        whole.release();
        channel.advanceTimeBy(60, java.util.concurrent.TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(errors.seen).as("no frame unfinished, no timeout").isEmpty();
        channel.finishAndReleaseAll();
    }

    @Provide
    Arbitrary<List<Message>> messages() {
        Arbitrary<HbtpOpcode> opcodes = Arbitraries.of(HbtpOpcode.class);
        // ENCRYPTED frames are for a codec that has started encryption (HbtpEncryptionTest, HbtpRoundTripTest).
        Arbitrary<Integer> flags = Arbitraries.integers().between(0, 0x1F)
                .map(f -> f & ~HbtpFlags.FINAL & ~HbtpFlags.ENCRYPTED);
        Arbitrary<Integer> sequences = Arbitraries.integers().between(0, 0xFFFF);
        Arbitrary<byte[]> bodies = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(16),
                Arbitraries.bytes().array(byte[].class).ofMinSize(900).ofMaxSize(MAX_MESSAGE));
        // HELLO and HELLO_ACK are one frame with FINAL only: a handshake message takes no flags and fits a frame.
        Arbitrary<Message> message = Combinators.combine(opcodes, flags, sequences, bodies).as(Message::new)
                .map(m -> m.opcode() == HbtpOpcode.HELLO || m.opcode() == HbtpOpcode.HELLO_ACK
                        ? new Message(m.opcode(), 0, m.sequence(), Arrays.copyOf(m.body(), Math.min(16, m.body().length)))
                        : m);
        return message.list().ofMinSize(1).ofMaxSize(6);
    }
}
