package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpHello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lean HBTP server speaks enough of HBTP/1 for the product's client (a real handshake, echo calls), and
 * closes on what it does not serve rather than guessing.
 */
class LeanHbtpServerTest {

    private EchoServer server;
    private HbtpClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void connect() throws InterruptedException {
        server = LeanHbtpServer.start(new ServerSettings(0, "nio", 1));
        client = HbtpClient.connect(new InetSocketAddress("127.0.0.1", server.port()), HbtpClientConfig.defaults());
    }

    @Test
    void theProductClientsCallIsAnsweredWithItsOwnBytes() throws Exception {
        connect();
        ByteBuf request = Unpooled.buffer();
        Payloads.write(request, 0x1234_5678L, 64);

        ByteBuf answer = client.call(HbtpEchoServer.ECHO_ROUTE, request).get(5, TimeUnit.SECONDS);
        try {
            assertThat(Payloads.matches(answer, 0x1234_5678L, 64)).isTrue();
        } finally {
            answer.release();
        }
    }

    @Test
    void theHandshakeAgreesNoCapabilityAndLimitsTheClientCanKeepTo() throws Exception {
        connect();

        HbtpHello ack = client.serverHello();
        assertThat(ack.capabilities()).isZero();
        assertThat(ack.maxFrameLength()).isEqualTo(LeanHbtpServer.MAX_FRAME);
        assertThat(ack.maxMessageLength()).isEqualTo(ack.maxFrameLength());
    }

    @Test
    void callsInFlightTogetherAreEachAnsweredWithTheirOwnBytes() throws Exception {
        connect();
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        for (long id = 0; id < 200; id++) {
            ByteBuf request = Unpooled.buffer();
            Payloads.write(request, id, 8 + (int) id);
            long expected = id;
            answers.add(client.call(HbtpEchoServer.ECHO_ROUTE, request).thenApply(answer -> {
                try {
                    return Payloads.matches(answer, expected, 8 + (int) expected);
                } finally {
                    answer.release();
                }
            }));
        }

        for (CompletableFuture<Boolean> answer : answers) {
            assertThat(answer.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aCallBeforeHelloIsAnsweredWithCloseProtocolError() {
        EmbeddedChannel channel = session();
        channel.writeInbound(frame(LeanHbtpServer.RPC_CALL, LeanHbtpServer.FINAL | LeanHbtpServer.EXPECTS_RESPONSE, 1,
                new byte[] {1, 0, 42}));

        assertClosedWith(channel, 1002);
    }

    @Test
    void aFrameLongerThanTheMaximumClosesBeforeItsPayloadArrives() {
        EmbeddedChannel channel = helloDone();
        ByteBuf header = Unpooled.buffer(8).writeByte(LeanHbtpServer.RPC_CALL).writeByte(LeanHbtpServer.FINAL)
                .writeShortLE(1).writeIntLE(LeanHbtpServer.MAX_FRAME + 1);
        try {
            channel.writeInbound(header);
        } catch (RuntimeException tooLong) {
            // EmbeddedChannel rethrows what the pipeline raised; the server has closed already.
        }

        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void pingIsAnsweredWithPongCarryingItsBytesAndSequence() {
        EmbeddedChannel channel = helloDone();
        channel.writeInbound(frame(LeanHbtpServer.PING, LeanHbtpServer.FINAL, 77, new byte[] {9, 8, 7}));

        ByteBuf pong = channel.readOutbound();
        try {
            assertThat(ByteBufUtil.getBytes(pong)).containsExactly(LeanHbtpServer.PONG, LeanHbtpServer.FINAL, 77, 0,
                    3, 0, 0, 0, 9, 8, 7);
        } finally {
            pong.release();
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aReservedFlagIsAnsweredWithCloseProtocolError() {
        EmbeddedChannel channel = helloDone();
        channel.writeInbound(frame(LeanHbtpServer.RPC_CALL, LeanHbtpServer.FINAL | 0x20, 1, new byte[] {1, 0}));

        assertClosedWith(channel, 1002);
    }

    private static EmbeddedChannel session() {
        return new EmbeddedChannel(LeanHbtpServer.frameDecoder(), new LeanHbtpServer.Session());
    }

    private static EmbeddedChannel helloDone() {
        EmbeddedChannel channel = session();
        ByteBuf hello = Unpooled.buffer().writeIntLE(LeanHbtpServer.MAGIC).writeByte(1).writeByte(0).writeShortLE(0)
                .writeIntLE(1 << 20).writeIntLE(16 << 20);
        channel.writeInbound(frame(LeanHbtpServer.HELLO, LeanHbtpServer.FINAL, 0, ByteBufUtil.getBytes(hello)));
        hello.release();
        ByteBuf ack = channel.readOutbound();
        assertThat(ack.getUnsignedByte(0)).isEqualTo((short) LeanHbtpServer.HELLO_ACK);
        ack.release();
        return channel;
    }

    private static ByteBuf frame(int opcode, int flags, int sequence, byte[] payload) {
        return Unpooled.buffer().writeByte(opcode).writeByte(flags).writeShortLE(sequence).writeIntLE(payload.length)
                .writeBytes(payload);
    }

    private static void assertClosedWith(EmbeddedChannel channel, int code) {
        ByteBuf close = channel.readOutbound();
        try {
            assertThat(close.getUnsignedByte(0)).isEqualTo((short) LeanHbtpServer.CLOSE);
            assertThat(close.getUnsignedShortLE(8)).isEqualTo(code);
        } finally {
            close.release();
        }
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }
}
