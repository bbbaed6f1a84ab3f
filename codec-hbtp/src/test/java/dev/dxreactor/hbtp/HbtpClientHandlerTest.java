package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client's side of the protocol against a scripted server in an {@link EmbeddedChannel}. */
class HbtpClientHandlerTest {

    private final HbtpClientHandler handler = new HbtpClientHandler(HbtpClientConfig.defaults());
    private final FlushGate gate = new FlushGate();
    private final EmbeddedChannel channel = new EmbeddedChannel(gate, new HbtpFrameCodec(), handler);
    private final EmbeddedChannel decoder = new EmbeddedChannel(new HbtpFrameCodec());

    @Test
    void aVersionGapMakesTheClientAskAgainAndIgnoreDeltasUntilTheAnswer() {
        handshake();
        List<String> seen = new ArrayList<>();
        handler.subscribe(new HbtpSubscription(handler::unsubscribe, 3, new HbtpTopicListener() {
            @Override
            public void onSync(int topic, long version, ByteBuf state) {
                seen.add("sync " + version);
            }

            @Override
            public void onDelta(int topic, long base, long version, ByteBuf delta) {
                seen.add("delta " + base + "->" + version);
            }
        }));
        assertThat(subscribeSent()).isEqualTo(0);

        serverSends(HbtpOpcode.STATE_SYNC, Unpooled.buffer().writeShortLE(3).writeLongLE(1).writeByte('s'));
        serverSends(HbtpOpcode.STATE_DELTA, delta(3, 1, 2));
        serverSends(HbtpOpcode.STATE_DELTA, delta(3, 3, 4)); // 2 -> 3 was lost
        assertThat(subscribeSent()).as("asks again from the version it holds").isEqualTo(2);
        serverSends(HbtpOpcode.STATE_DELTA, delta(3, 4, 5)); // still behind: ignored, no second request
        assertThat(nextSent()).isNull();

        serverSends(HbtpOpcode.STATE_DELTA, delta(3, 2, 3));
        serverSends(HbtpOpcode.STATE_DELTA, delta(3, 3, 4));
        serverSends(HbtpOpcode.STATE_DELTA, delta(3, 2, 3)); // a duplicate of what it holds: ignored
        assertThat(seen).containsExactly("sync 1", "delta 1->2", "delta 2->3", "delta 3->4");
        channel.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }

    @Test
    void aFrameBeforeHelloAckClosesWithProtocolError() {
        HbtpFrame hello = nextSent();
        assertThat(hello.opcode()).isEqualTo(HbtpOpcode.HELLO);
        hello.release();
        serverSends(HbtpOpcode.RPC_RESPONSE, Unpooled.buffer().writeByte(1));
        HbtpFrame close = nextSent();
        assertThat(close.opcode()).isEqualTo(HbtpOpcode.CLOSE);
        assertThat(close.payload().readUnsignedShortLE()).isEqualTo(HbtpCloseCode.PROTOCOL_ERROR);
        assertThat(close.payload().toString(StandardCharsets.UTF_8)).isEqualTo("RPC_RESPONSE before HELLO_ACK");
        close.release();
        assertThat(channel.isOpen()).isFalse();
        assertThat(handler.handshake).isCompletedExceptionally();
        channel.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }

    @Test
    void everyCallTimesOutAtItsOwnDeadlineAndAnsweredCallsDoNot() {
        channel.freezeTime();
        handshake();
        HbtpCallFuture slow = call(TimeUnit.SECONDS.toNanos(10));
        HbtpCallFuture quick = call(TimeUnit.SECONDS.toNanos(2)); // due before the timer set for the first
        HbtpCallFuture answered = call(TimeUnit.SECONDS.toNanos(1));
        assertThat(sentCalls()).containsExactly(slow.sequence, quick.sequence, answered.sequence);

        serverAnswers(answered.sequence, "ok");
        assertThat(answered).isCompleted();
        answered.join().release();

        channel.advanceTimeBy(1900, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(quick).isNotDone();
        channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThatThrownBy(quick::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(TimeoutException.class).hasMessage("call to route 7 got no answer within 2000 ms");
        assertThat(cancelSent()).isEqualTo(quick.sequence);
        assertThat(slow).isNotDone();

        channel.advanceTimeBy(7800, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(slow).isNotDone();
        channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(slow).isCompletedExceptionally();
        assertThat(cancelSent()).isEqualTo(slow.sequence);
        assertThat(handler.inFlight()).isZero();
        assertThat(nextSent()).isNull();
        channel.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }

    @Test
    void aCallMadeWhileAnswersAreReadTimesOutCountedFromWhenItIsSent() {
        channel.freezeTime();
        handshake();
        HbtpCallFuture first = call(TimeUnit.SECONDS.toNanos(10));
        assertThat(sentCalls()).containsExactly(first.sequence);
        HbtpCallFuture[] second = new HbtpCallFuture[1];
        first.thenAccept(body -> {
            body.release();
            // A callback that takes its time before it calls again, while the answers are still being read.
            channel.advanceTimeBy(5, TimeUnit.SECONDS);
            second[0] = call(TimeUnit.SECONDS.toNanos(2));
        });

        serverAnswers(first.sequence, "ok");
        assertThat(sentCalls()).containsExactly(second[0].sequence);
        channel.advanceTimeBy(1900, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(second[0]).isNotDone();
        channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThatThrownBy(second[0]::join).cause().isInstanceOf(TimeoutException.class);
        assertThat(cancelSent()).isEqualTo(second[0].sequence);
        assertThat(handler.inFlight()).isZero();
        channel.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }

    @Test
    void aPingOfSixtyFourBytesIsAnsweredWithTheSameBytesAndSequence() {
        handshake();
        byte[] bytes = new byte[64];
        Arrays.fill(bytes, (byte) 'p');
        serverSends(HbtpOpcode.PING, 9, Unpooled.wrappedBuffer(bytes));
        HbtpFrame pong = nextSent();
        try {
            assertThat(pong.opcode()).isEqualTo(HbtpOpcode.PONG);
            assertThat(pong.sequence()).isEqualTo(9);
            assertThat(HbtpFrameCodecTest.bytes(pong.payload())).isEqualTo(bytes);
        } finally {
            pong.release();
        }
        assertThat(channel.isOpen()).isTrue();
        channel.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }

    @Test
    void aPingOverSixtyFourBytesClosesWithProtocolErrorUnanswered() {
        handshake();
        serverSends(HbtpOpcode.PING, 9, Unpooled.wrappedBuffer(new byte[65]));
        HbtpFrame close = nextSent();
        try {
            assertThat(close.opcode()).as("no PONG first").isEqualTo(HbtpOpcode.CLOSE);
            assertThat(close.payload().readUnsignedShortLE()).isEqualTo(HbtpCloseCode.PROTOCOL_ERROR);
            assertThat(close.payload().toString(StandardCharsets.UTF_8))
                    .isEqualTo("PING payload of 65 bytes; at most 64");
        } finally {
            close.release();
        }
        assertThat(nextSent()).isNull();
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }

    @Test
    void whileTheServerDoesNotReadPingsAreLeftUnansweredAndReadingGoesOn() {
        handshake();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        gate.shut();
        serverSends(HbtpOpcode.PING, 0, Unpooled.copiedBuffer("ping 0", StandardCharsets.UTF_8));
        assertThat(channel.isWritable()).isFalse();
        long queuedAfterOne = channel.unsafe().outboundBuffer().totalPendingWriteBytes();
        for (int sequence = 1; sequence < 100; sequence++) {
            serverSends(HbtpOpcode.PING, sequence, Unpooled.copiedBuffer("ping " + sequence, StandardCharsets.UTF_8));
        }
        assertThat(channel.config().isAutoRead()).as("answers must still be read").isTrue();
        assertThat(channel.unsafe().outboundBuffer().totalPendingWriteBytes())
                .as("only the first PONG is queued").isEqualTo(queuedAfterOne);

        gate.open();
        HbtpFrame pong = nextSent();
        try {
            assertThat(pong.opcode()).isEqualTo(HbtpOpcode.PONG);
            assertThat(pong.sequence()).isZero();
        } finally {
            pong.release();
        }
        assertThat(nextSent()).isNull();
        serverSends(HbtpOpcode.PING, 100, Unpooled.copiedBuffer("ping 100", StandardCharsets.UTF_8));
        HbtpFrame again = nextSent();
        try {
            assertThat(again.sequence()).as("answered again once the server reads").isEqualTo(100);
        } finally {
            again.release();
        }
        channel.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }

    private HbtpCallFuture call(long timeoutNanos) {
        HbtpCallFuture future = new HbtpCallFuture(handler, 7);
        handler.call(future, 7, Unpooled.copiedBuffer("q", StandardCharsets.UTF_8), HbtpMetadata.empty(),
                timeoutNanos);
        return future;
    }

    /** The sequences of the RPC_CALLs sent since the last look, once the loop has run its tasks. */
    private List<Integer> sentCalls() {
        channel.runPendingTasks();
        List<Integer> sequences = new ArrayList<>();
        for (HbtpFrame frame; (frame = nextSent()) != null; ) {
            assertThat(frame.opcode()).isEqualTo(HbtpOpcode.RPC_CALL);
            sequences.add(frame.sequence());
            frame.release();
        }
        return sequences;
    }

    private int cancelSent() {
        HbtpFrame frame = nextSent();
        try {
            assertThat(frame.opcode()).isEqualTo(HbtpOpcode.CANCEL);
            return frame.sequence();
        } finally {
            frame.release();
        }
    }

    private void serverAnswers(int sequence, String body) {
        ByteBuf wire = ByteBufAllocator.DEFAULT.directBuffer();
        ByteBuf payload = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        HbtpWire.writeMessage(wire, HbtpOpcode.RPC_RESPONSE, HbtpFlags.FINAL, sequence, payload, 1 << 20);
        payload.release();
        channel.writeInbound(wire);
        channel.runPendingTasks();
    }

    private void handshake() {
        HbtpFrame hello = nextSent();
        assertThat(hello.opcode()).isEqualTo(HbtpOpcode.HELLO);
        hello.release();
        ByteBuf ack = Unpooled.buffer();
        new HbtpHello(1, HbtpCapabilities.METADATA | HbtpCapabilities.STATE, 1 << 20, 16 << 20).write(ack);
        serverSends(HbtpOpcode.HELLO_ACK, ack);
        assertThat(handler.handshake).isCompleted();
    }

    private void serverSends(HbtpOpcode opcode, ByteBuf body) {
        serverSends(opcode, 0, body);
    }

    private void serverSends(HbtpOpcode opcode, int sequence, ByteBuf body) {
        ByteBuf wire = ByteBufAllocator.DEFAULT.directBuffer();
        HbtpWire.writeMessage(wire, opcode, HbtpFlags.FINAL, sequence, body, 1 << 20);
        body.release();
        channel.writeInbound(wire);
        channel.runPendingTasks();
    }

    private static ByteBuf delta(int topic, long base, long version) {
        return Unpooled.buffer().writeShortLE(topic).writeLongLE(base).writeLongLE(version).writeByte('d');
    }

    /** The knownVersion of the SUBSCRIBE the client sent next. */
    private long subscribeSent() {
        HbtpFrame frame = nextSent();
        try {
            assertThat(frame.opcode()).isEqualTo(HbtpOpcode.SUBSCRIBE);
            return frame.payload().getLongLE(frame.payload().readerIndex() + 2);
        } finally {
            frame.release();
        }
    }

    /**
     * Holds flushes back while shut, so that what the client writes stays in its outbound buffer as it does
     * when the peer reads nothing; opening flushes it all.
     */
    private static final class FlushGate extends ChannelOutboundHandlerAdapter {
        private ChannelHandlerContext ctx;
        private boolean shut;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!shut) {
                ctx.flush();
            }
        }

        void shut() {
            shut = true;
        }

        void open() {
            shut = false;
            ctx.flush();
        }
    }

    private HbtpFrame nextSent() {
        for (Object out; (out = channel.readOutbound()) != null; ) {
            decoder.writeInbound(out);
        }
        return decoder.readInbound();
    }
}
