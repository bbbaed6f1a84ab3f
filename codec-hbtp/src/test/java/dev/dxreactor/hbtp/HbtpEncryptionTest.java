package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Encryption through the server pipeline: the test plays the client with its own codec, seals frames the
 * way a client does and then damages them the way an attacker on the path would.
 */
class HbtpEncryptionTest {

    private static final byte[] SECRET = "a secret the server must never send in clear".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PSK = "sixteen-byte-psk-or-longer".getBytes(StandardCharsets.US_ASCII);

    /** How often the echo route ran: a frame that was rejected must never get there. */
    private final AtomicInteger delivered = new AtomicInteger();

    private HbtpServerConfig.Builder config() {
        return HbtpServerConfig.builder().idleTimeout(Duration.ZERO)
                .router(new HbtpRouter().route(1, call -> {
                    delivered.incrementAndGet();
                    return call.payload().retain();
                }));
    }

    @Test
    void anEncryptedCallIsAnsweredAndNothingTravelsInClear() {
        try (ServerHarness server = new ServerHarness(config().build())) {
            HbtpHello ack = server.handshakeEncrypted(HbtpCapabilities.METADATA, null);
            assertThat(ack.capabilities() & HbtpCapabilities.ENCRYPTION).isNotZero();
            assertThat(ack.publicKey()).hasSize(32);

            server.call(7, 1, SECRET);
            ByteBuf raw = server.nextRaw();
            try {
                assertThat(raw.getUnsignedByte(raw.readerIndex() + 1) & HbtpFlags.ENCRYPTED).isNotZero();
                assertThat(ByteBufUtil.indexOf(Unpooled.wrappedBuffer(SECRET, 0, 16), raw)).isEqualTo(-1);
                assertThat(HbtpHeader.length(raw, raw.readerIndex()))
                        .isEqualTo(SECRET.length + HbtpFrameCipher.TAG_SIZE);
                server.sendRawToClientDecoder(raw.retain());
            } finally {
                raw.release();
            }
            HbtpFrame response = server.next();
            try {
                assertThat(response.opcode()).isEqualTo(HbtpOpcode.RPC_RESPONSE);
                assertThat(response.sequence()).isEqualTo(7);
                assertThat(response.hasFlag(HbtpFlags.ENCRYPTED)).as("the codec hands on plaintext").isFalse();
                assertThat(HbtpFrameCodecTest.bytes(response.payload())).isEqualTo(SECRET);
            } finally {
                response.release();
            }
        }
    }

    @Test
    void aFlippedHeaderByteClosesWith1008AndIsNotDelivered() {
        assertRejected(frame -> frame.setByte(2, frame.getByte(2) ^ 1));
    }

    @Test
    void aFlippedCiphertextByteClosesWith1008AndIsNotDelivered() {
        assertRejected(frame -> frame.setByte(HbtpHeader.SIZE + 3, frame.getByte(HbtpHeader.SIZE + 3) ^ 0x40));
    }

    @Test
    void aFlippedTagByteClosesWith1008AndIsNotDelivered() {
        assertRejected(frame -> frame.setByte(frame.writerIndex() - 1, frame.getByte(frame.writerIndex() - 1) ^ 1));
    }

    @Test
    void aFrameCutShortClosesWith1008AndIsNotDelivered() {
        assertRejected(frame -> {
            frame.writerIndex(frame.writerIndex() - 1);
            HbtpHeader.setLength(frame, 0, frame.readableBytes() - HbtpHeader.SIZE);
        });
    }

    @Test
    void aFrameShorterThanItsTagClosesWith1008() {
        assertRejected(frame -> {
            frame.writerIndex(HbtpHeader.SIZE + 5);
            HbtpHeader.setLength(frame, 0, 5);
        });
    }

    @Test
    void aReplayedFrameClosesWith1008AndOnlyTheOriginalIsDelivered() {
        try (ServerHarness server = new ServerHarness(config().build())) {
            server.handshakeEncrypted(HbtpCapabilities.METADATA, null);
            ByteBuf call = server.wire(HbtpOpcode.RPC_CALL, HbtpFlags.EXPECTS_RESPONSE, 1, callBody(), 1 << 20);
            server.sendRaw(call.retainedDuplicate());
            assertThat(delivered).hasValue(1);
            releaseAll(server);

            server.sendRaw(call);
            assertThat(server.expectClose()).isEqualTo(HbtpCloseCode.POLICY);
            assertThat(delivered).hasValue(1);
            assertThat(server.channel.isOpen()).isFalse();
        }
    }

    @Test
    void swappedFramesCloseWith1008AndNeitherIsDelivered() {
        try (ServerHarness server = new ServerHarness(config().build())) {
            server.handshakeEncrypted(HbtpCapabilities.METADATA, null);
            ByteBuf first = server.wire(HbtpOpcode.RPC_CALL, HbtpFlags.EXPECTS_RESPONSE, 1, callBody(), 1 << 20);
            ByteBuf second = server.wire(HbtpOpcode.RPC_CALL, HbtpFlags.EXPECTS_RESPONSE, 2, callBody(), 1 << 20);
            server.sendRaw(Unpooled.wrappedBuffer(second, first));
            assertThat(server.expectClose()).isEqualTo(HbtpCloseCode.POLICY);
            assertThat(delivered).hasValue(0);
        }
    }

    @Test
    void aPlaintextFrameAfterAgreementClosesWith1008() {
        try (ServerHarness server = new ServerHarness(config().build())) {
            server.handshakeEncrypted(HbtpCapabilities.METADATA, null);
            ByteBuf plain = Unpooled.directBuffer();
            HbtpWire.writeMessage(plain, HbtpOpcode.RPC_CALL, HbtpFlags.EXPECTS_RESPONSE, 1, 1,
                    Unpooled.wrappedBuffer(SECRET), 1 << 20);
            server.sendRaw(plain);
            HbtpFrame close = server.next();
            try {
                assertThat(close.opcode()).isEqualTo(HbtpOpcode.CLOSE);
                assertThat(close.payload().getUnsignedShortLE(0)).isEqualTo(HbtpCloseCode.POLICY);
                assertThat(ServerHarness.reasonOf(close)).contains("plaintext");
            } finally {
                close.release();
            }
            assertThat(delivered).hasValue(0);
        }
    }

    @Test
    void anEncryptedFrameWithoutAgreementClosesWith1008() {
        try (ServerHarness server = new ServerHarness(config().build())) {
            server.handshake(HbtpCapabilities.METADATA);
            ByteBuf wire = Unpooled.directBuffer();
            HbtpWire.writeMessage(wire, HbtpOpcode.RPC_CALL, HbtpFlags.EXPECTS_RESPONSE | HbtpFlags.ENCRYPTED, 1, 1,
                    Unpooled.wrappedBuffer(SECRET), 1 << 20);
            server.sendRaw(wire);
            assertThat(server.expectClose()).isEqualTo(HbtpCloseCode.POLICY);
            assertThat(delivered).hasValue(0);
        }
    }

    @Test
    void aServerThatRequiresEncryptionRefusesAClientThatDoesNotOfferIt() {
        try (ServerHarness server = new ServerHarness(config().encryption(HbtpEncryptionMode.REQUIRED).build())) {
            ByteBuf hello = Unpooled.buffer();
            new HbtpHello(HbtpHello.VERSION, HbtpCapabilities.METADATA, 1 << 20, 16 << 20).write(hello);
            server.send(HbtpOpcode.HELLO, HbtpFlags.FINAL, 0, hello);
            HbtpFrame close = server.next();
            try {
                assertThat(close.opcode()).isEqualTo(HbtpOpcode.CLOSE);
                assertThat(close.payload().getUnsignedShortLE(0)).isEqualTo(HbtpCloseCode.POLICY);
                assertThat(ServerHarness.reasonOf(close)).contains("requires encryption");
            } finally {
                close.release();
            }
            assertThat(server.channel.isOpen()).isFalse();
        }
    }

    @Test
    void aServerWithEncryptionOffDoesNotAgreeToIt() {
        try (ServerHarness server = new ServerHarness(config().encryption(HbtpEncryptionMode.OFF).build())) {
            HbtpKeyExchange exchange = HbtpKeyExchange.start();
            ByteBuf hello = Unpooled.buffer();
            new HbtpHello(HbtpHello.VERSION, HbtpCapabilities.METADATA | HbtpCapabilities.ENCRYPTION, 1 << 20,
                    16 << 20, exchange.publicKey()).write(hello);
            server.send(HbtpOpcode.HELLO, HbtpFlags.FINAL, 0, hello);
            HbtpFrame frame = server.next();
            try {
                HbtpHello ack = HbtpHello.read(frame.payload());
                assertThat(ack.capabilities()).isEqualTo(HbtpCapabilities.METADATA);
                assertThat(ack.publicKey()).isNull();
            } finally {
                frame.release();
            }
            server.call(1, 1, SECRET);
            HbtpFrame response = server.next();
            assertThat(response.opcode()).isEqualTo(HbtpOpcode.RPC_RESPONSE);
            response.release();
        }
    }

    @Test
    void aLowOrderClientKeyIsRefusedWith1008BeforeAnyAnswer() {
        try (ServerHarness server = new ServerHarness(config().build())) {
            ByteBuf hello = Unpooled.buffer();
            new HbtpHello(HbtpHello.VERSION, HbtpCapabilities.METADATA | HbtpCapabilities.ENCRYPTION, 1 << 20,
                    16 << 20, new byte[32]).write(hello);
            server.send(HbtpOpcode.HELLO, HbtpFlags.FINAL, 0, hello);
            assertThat(server.expectClose()).isEqualTo(HbtpCloseCode.POLICY);
        }
    }

    @Test
    void aClientWithAnotherPreSharedKeyIsClosedWith1008AtItsFirstFrame() {
        try (ServerHarness server = new ServerHarness(config().preSharedKey(PSK).build())) {
            server.helloEncrypted(HbtpCapabilities.METADATA,
                    "another-sixteen-byte-key".getBytes(StandardCharsets.US_ASCII), 1 << 20);
            // The client cannot open the server's key-confirmation PING: its connect fails here.
            assertThatThrownBy(server::next).isInstanceOf(HbtpProtocolException.class)
                    .satisfies(e -> assertThat(((HbtpProtocolException) e).closeCode()).isEqualTo(HbtpCloseCode.POLICY));
            // And the server cannot open what the client seals.
            server.call(1, 1, SECRET);
            assertThat(server.channel.isOpen()).isFalse();
            assertThat(delivered).hasValue(0);
        }
    }

    @Test
    void theSamePreSharedKeyOnBothEndsWorks() {
        try (ServerHarness server = new ServerHarness(config().preSharedKey(PSK).build())) {
            server.handshakeEncrypted(HbtpCapabilities.METADATA, PSK);
            server.call(3, 1, SECRET);
            HbtpFrame response = server.next();
            try {
                assertThat(HbtpFrameCodecTest.bytes(response.payload())).isEqualTo(SECRET);
            } finally {
                response.release();
            }
        }
    }

    @Test
    void encryptedMessagesAreFragmentedWithinThePeersFrameLimitAndReassembled() {
        byte[] big = new byte[1000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7);
        }
        try (ServerHarness server = new ServerHarness(config().maxFrameLength(256).build())) {
            server.handshakeEncryptedWithFrameLimit(HbtpCapabilities.METADATA, 64);
            ByteBuf body = Unpooled.buffer().writeShortLE(1).writeBytes(big);
            // Sealed frames must stay within the server's 256: 240 bytes of plaintext each.
            server.send(HbtpOpcode.RPC_CALL, HbtpFlags.EXPECTS_RESPONSE, 9, body, 256 - HbtpFrameCipher.TAG_SIZE);
            assertThat(delivered).hasValue(1);

            ByteBuf raw = server.nextRaw();
            try {
                int frames = 0;
                for (int at = raw.readerIndex(); at < raw.writerIndex(); frames++) {
                    long length = HbtpHeader.length(raw, at);
                    assertThat(length).isLessThanOrEqualTo(64);
                    at += HbtpHeader.SIZE + (int) length;
                }
                assertThat(frames).isEqualTo((big.length + 47) / 48);
                server.sendRawToClientDecoder(raw.retain());
            } finally {
                raw.release();
            }
            HbtpFrame response = server.next();
            try {
                assertThat(HbtpFrameCodecTest.bytes(response.payload())).isEqualTo(big);
            } finally {
                response.release();
            }
        }
    }

    @Test
    void aSenderOutOfNoncesClosesTheConnectionInsteadOfReusingOne() {
        byte[] key = new byte[32];
        HbtpFrameCodec codec = new HbtpFrameCodec();
        EmbeddedChannel channel = new EmbeddedChannel(codec);
        codec.startEncryption(new HbtpFrameCipher(key), new HbtpFrameCipher(key, -2L));
        channel.writeAndFlush(HbtpFrame.empty(HbtpOpcode.PING, 0, 1));
        ChannelFuture second = channel.writeAndFlush(HbtpFrame.empty(HbtpOpcode.PING, 0, 2));
        assertThat(second.cause()).isInstanceOf(HbtpProtocolException.class).hasMessageContaining("exhausted");
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void aReceiverOutOfNoncesClosesWith1008() {
        byte[] key = new byte[32];
        HbtpFrameCipher sender = new HbtpFrameCipher(key, -2L);
        HbtpFrameCodec codec = new HbtpFrameCodec();
        EmbeddedChannel channel = new EmbeddedChannel(codec);
        codec.startEncryption(new HbtpFrameCipher(key, -2L), new HbtpFrameCipher(key));
        channel.writeInbound(sender.seal(channel.alloc(), HbtpOpcode.PING, HbtpFlags.FINAL, 0, Unpooled.EMPTY_BUFFER));
        HbtpFrame ping = channel.readInbound();
        assertThat(ping.opcode()).isEqualTo(HbtpOpcode.PING);
        ping.release();
        ByteBuf next = Unpooled.directBuffer();
        HbtpHeader.write(next, HbtpOpcode.PING.code(), HbtpFlags.FINAL | HbtpFlags.ENCRYPTED, 1, 16);
        next.writeZero(16);
        assertThatThrownBy(() -> channel.writeInbound(next))
                .isInstanceOf(HbtpProtocolException.class)
                .satisfies(e -> assertThat(((HbtpProtocolException) e).closeCode()).isEqualTo(HbtpCloseCode.POLICY));
        channel.finishAndReleaseAll();
    }

    @Test
    void startingEncryptionTwiceIsRefused() {
        HbtpFrameCodec codec = new HbtpFrameCodec();
        HbtpKeyExchange clientSide = HbtpKeyExchange.start();
        HbtpHello hello = new HbtpHello(HbtpHello.VERSION, HbtpCapabilities.ENCRYPTION, 1 << 20, 1 << 20,
                clientSide.publicKey());
        HbtpHello ack = new HbtpHello(HbtpHello.VERSION, HbtpCapabilities.ENCRYPTION, 1 << 20, 1 << 20,
                HbtpKeyExchange.start().publicKey());
        HbtpSessionKeys keys = clientSide.finish(true, hello, ack, null);
        codec.startEncryption(keys);
        assertThatThrownBy(() -> codec.startEncryption(keys)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void secretsNeverShowInToString() {
        HbtpServerConfig server = config().preSharedKey(PSK).build();
        HbtpClientConfig client = HbtpClientConfig.builder().preSharedKey(PSK).build();
        String pskText = new String(PSK, StandardCharsets.US_ASCII);
        for (String text : new String[]{server.toString(), client.toString()}) {
            assertThat(text).contains("preSharedKey=[masked]").doesNotContain(pskText)
                    .doesNotContain(ByteBufUtil.hexDump(PSK)).contains("REQUIRED");
        }
        HbtpKeyExchange exchange = HbtpKeyExchange.start();
        HbtpHello hello = new HbtpHello(HbtpHello.VERSION, HbtpCapabilities.ENCRYPTION, 1 << 20, 1 << 20,
                HbtpKeyExchange.start().publicKey());
        HbtpHello ack = new HbtpHello(HbtpHello.VERSION, HbtpCapabilities.ENCRYPTION, 1 << 20, 1 << 20,
                exchange.publicKey());
        HbtpSessionKeys keys = exchange.finish(false, hello, ack, PSK);
        assertThat(keys.toString()).isEqualTo("HbtpSessionKeys[masked]");
        assertThat(exchange.toString()).doesNotContain(ByteBufUtil.hexDump(exchange.publicKey()));
    }

    @Test
    void encryptionSettingsReportEveryMistakeAtOnce() {
        assertThatThrownBy(() -> HbtpServerConfig.builder().preSharedKey(new byte[4])
                .encryption(HbtpEncryptionMode.OPTIONAL).zstdDictionary(new byte[3]).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("3 invalid")
                .hasMessageContaining("preSharedKey has 4 bytes")
                .hasMessageContaining("preSharedKey needs encryption REQUIRED")
                .hasMessageContaining("zstdDictionary has 3 bytes");
        assertThatThrownBy(() -> HbtpClientConfig.builder().preSharedKey(PSK).encryption(HbtpEncryptionMode.OFF).build())
                .hasMessageContaining("preSharedKey needs encryption REQUIRED, not OFF");
    }

    private void assertRejected(Consumer<ByteBuf> damage) {
        try (ServerHarness server = new ServerHarness(config().build())) {
            server.handshakeEncrypted(HbtpCapabilities.METADATA, null);
            ByteBuf call = server.wire(HbtpOpcode.RPC_CALL, HbtpFlags.EXPECTS_RESPONSE, 1, callBody(), 1 << 20);
            damage.accept(call);
            server.sendRaw(call);
            HbtpFrame close = server.next();
            try {
                assertThat(close.opcode()).isEqualTo(HbtpOpcode.CLOSE);
                assertThat(close.payload().getUnsignedShortLE(0)).isEqualTo(HbtpCloseCode.POLICY);
            } finally {
                close.release();
            }
            assertThat(delivered).as("the damaged call must not reach the route").hasValue(0);
            assertThat(server.channel.isOpen()).isFalse();
        }
    }

    private static ByteBuf callBody() {
        return Unpooled.buffer().writeShortLE(1).writeBytes(SECRET);
    }

    private static void releaseAll(ServerHarness server) {
        server.drain().forEach(HbtpFrame::release);
    }
}
