package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's side of the protocol against a scripted server in an {@link EmbeddedChannel}. */
class HbtpClientHandlerTest {

    private final HbtpClientHandler handler = new HbtpClientHandler(HbtpClientConfig.defaults());
    private final EmbeddedChannel channel = new EmbeddedChannel(new HbtpFrameCodec(), handler);
    private final EmbeddedChannel decoder = new EmbeddedChannel(new HbtpFrameCodec());

    @Test
    void aVersionGapMakesTheClientAskAgainAndIgnoreDeltasUntilTheAnswer() {
        handshake();
        List<String> seen = new ArrayList<>();
        handler.subscribe(new HbtpSubscription(handler, 3, new HbtpTopicListener() {
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
        ByteBuf wire = ByteBufAllocator.DEFAULT.directBuffer();
        HbtpWire.writeMessage(wire, opcode, HbtpFlags.FINAL, 0, body, 1 << 20);
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

    private HbtpFrame nextSent() {
        for (Object out; (out = channel.readOutbound()) != null; ) {
            decoder.writeInbound(out);
        }
        return decoder.readInbound();
    }
}
