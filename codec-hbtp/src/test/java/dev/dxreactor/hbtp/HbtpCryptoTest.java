package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Provide;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import javax.crypto.KeyAgreement;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The key schedule and the frame cipher on their own; through the pipeline in HbtpEncryptionTest. */
class HbtpCryptoTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @Test
    void x25519MatchesTheRfc7748Vector() throws Exception {
        // RFC 7748 section 6.1.
        PrivateKey alice = KeyFactory.getInstance("XDH").generatePrivate(new XECPrivateKeySpec(
                NamedParameterSpec.X25519,
                ByteBufUtil.decodeHexDump("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")));
        byte[] bobPublic = ByteBufUtil.decodeHexDump(
                "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");

        KeyAgreement agreement = KeyAgreement.getInstance("XDH");
        agreement.init(alice);
        agreement.doPhase(HbtpKeySchedule.decode(bobPublic), true);

        assertThat(ByteBufUtil.hexDump(agreement.generateSecret()))
                .isEqualTo("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assertThat(HbtpKeySchedule.encode(HbtpKeySchedule.decode(bobPublic))).isEqualTo(bobPublic);
    }

    @Test
    void bothEndsDeriveTheSameKeysAndAPskChangesThem() {
        KeyPair client = HbtpKeySchedule.newKeyPair();
        KeyPair server = HbtpKeySchedule.newKeyPair();
        byte[] clientPub = HbtpKeySchedule.encode(client.getPublic());
        byte[] serverPub = HbtpKeySchedule.encode(server.getPublic());
        byte[] th = HbtpKeySchedule.transcriptHash(hello(clientPub, 0), hello(serverPub, 0));

        var atClient = HbtpKeySchedule.derive(client.getPrivate(), HbtpKeySchedule.decode(serverPub), th, null);
        var atServer = HbtpKeySchedule.derive(server.getPrivate(), HbtpKeySchedule.decode(clientPub), th, null);
        var withPsk = HbtpKeySchedule.derive(server.getPrivate(), HbtpKeySchedule.decode(clientPub), th,
                new byte[]{1, 2, 3});

        assertThat(atClient.clientToServer()).isEqualTo(atServer.clientToServer()).hasSize(32);
        assertThat(atClient.serverToClient()).isEqualTo(atServer.serverToClient());
        assertThat(atClient.clientToServer()).isNotEqualTo(atClient.serverToClient());
        assertThat(withPsk.clientToServer()).isNotEqualTo(atServer.clientToServer());
        assertThat(atClient.toString()).doesNotContain(ByteBufUtil.hexDump(atClient.clientToServer()));
    }

    @Test
    void theTranscriptIsBothHelloBodiesAsOnTheWire() throws Exception {
        HbtpHello hello = hello(HbtpKeySchedule.encode(HbtpKeySchedule.newKeyPair().getPublic()), 0);
        HbtpHello ack = hello(HbtpKeySchedule.encode(HbtpKeySchedule.newKeyPair().getPublic()), 0);
        ByteBuf wire = Unpooled.buffer();
        hello.write(wire);
        ack.write(wire);

        assertThat(HbtpKeySchedule.transcriptHash(hello, ack))
                .isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(ByteBufUtil.getBytes(wire)));
        assertThat(HbtpHello.read(Unpooled.wrappedBuffer(hello.body())).body()).isEqualTo(hello.body());
    }

    @Property(tries = 200)
    void anyChangeToEitherHelloChangesTheKeys(@ForAll boolean inAck, @ForAll("helloField") int field) {
        HbtpKeyExchange clientSide = HbtpKeyExchange.start();
        HbtpKeyExchange serverSide = HbtpKeyExchange.start();
        HbtpHello hello = hello(clientSide.publicKey(), 0);
        HbtpHello ack = hello(serverSide.publicKey(), 0);
        HbtpSessionKeys server = serverSide.finish(false, hello, ack, null);

        HbtpHello relayedHello = inAck ? hello : hello(clientSide.publicKey(), field);
        HbtpHello relayedAck = inAck ? hello(serverSide.publicKey(), field) : ack;
        HbtpSessionKeys client = clientSide.finish(true, relayedHello, relayedAck, null);

        ByteBuf sealed = Unpooled.buffer();
        client.newSealer().sealInto(sealed, HbtpOpcode.PING.code(), HbtpFlags.FINAL | HbtpFlags.ENCRYPTED, 0,
                Unpooled.EMPTY_BUFFER, 0, 0);
        ByteBuf ciphertext = sealed.slice(HbtpHeader.SIZE, sealed.readableBytes() - HbtpHeader.SIZE);
        assertThatThrownBy(() -> server.newOpener().open(UnpooledByteBufAllocator.DEFAULT, HbtpOpcode.PING.code(),
                HbtpFlags.FINAL | HbtpFlags.ENCRYPTED, 0, ciphertext))
                .isInstanceOf(HbtpProtocolException.class)
                .satisfies(e -> assertThat(((HbtpProtocolException) e).closeCode()).isEqualTo(HbtpCloseCode.POLICY));
    }

    @Provide
    Arbitrary<Integer> helloField() {
        // 1..4: a capability bit flipped, maxFrameLength changed, maxMessageLength changed, both limits.
        return Arbitraries.integers().between(1, 4);
    }

    /** A HELLO with ENCRYPTION and {@code key}; {@code change} alters one field as a relay would. */
    private static HbtpHello hello(byte[] key, int change) {
        int caps = HbtpCapabilities.ENCRYPTION | HbtpCapabilities.METADATA | (change == 1 ? HbtpCapabilities.ZSTD : 0);
        long frame = change == 2 || change == 4 ? 4096 : 1 << 20;
        long message = change == 3 || change == 4 ? 1 << 21 : 16 << 20;
        return new HbtpHello(HbtpHello.VERSION, caps, frame, message, key);
    }

    @Test
    void aLowOrderPeerKeyIsRefused() {
        KeyPair own = HbtpKeySchedule.newKeyPair();
        byte[] zero = new byte[32];
        HbtpProtocolException e = catchThrowableOfType(HbtpProtocolException.class, () ->
                HbtpKeySchedule.derive(own.getPrivate(), HbtpKeySchedule.decode(zero), new byte[32], null));
        assertThat(e.closeCode()).isEqualTo(HbtpCloseCode.POLICY);
    }

    @Property(tries = 100)
    void sealedFramesOpenToTheSamePlaintextInOrder(
            @ForAll @Size(min = 1, max = 8) List<@Size(max = 3000) byte[]> messages,
            @ForAll @IntRange(min = 0, max = 0xFFFF) int sequence) {
        byte[] key = key();
        HbtpFrameCipher sender = new HbtpFrameCipher(key);
        HbtpFrameCipher receiver = new HbtpFrameCipher(key);
        for (byte[] message : messages) {
            HbtpFrame frame = decode(sender.seal(ALLOC, HbtpOpcode.RPC_CALL,
                    HbtpFlags.FINAL | HbtpFlags.EXPECTS_RESPONSE, sequence, Unpooled.wrappedBuffer(message)));
            ByteBuf plain = receiver.open(ALLOC, frame);
            try {
                assertThat(frame.payload().readableBytes()).isEqualTo(message.length + HbtpFrameCipher.TAG_SIZE);
                assertThat(HbtpFrameCodecTest.bytes(plain)).isEqualTo(message);
            } finally {
                plain.release();
                frame.release();
            }
        }
        assertThat(receiver.counter()).isEqualTo(messages.size());
    }

    @Test
    void aFlippedHeaderByteIsRejected() {
        assertTamperedFrameRejected(frame -> frame.setByte(2, frame.getByte(2) ^ 1));
    }

    @Test
    void aFlippedCiphertextByteIsRejected() {
        assertTamperedFrameRejected(frame -> frame.setByte(HbtpHeader.SIZE + 1, frame.getByte(HbtpHeader.SIZE + 1) ^ 1));
    }

    @Test
    void aFlippedTagByteIsRejected() {
        assertTamperedFrameRejected(frame -> frame.setByte(frame.writerIndex() - 1, frame.getByte(frame.writerIndex() - 1) ^ 1));
    }

    @Test
    void aFrameCutShortIsRejected() {
        assertTamperedFrameRejected(frame -> {
            frame.writerIndex(frame.writerIndex() - 1);
            HbtpHeader.setLength(frame, 0, frame.readableBytes() - HbtpHeader.SIZE);
        });
    }

    @Test
    void aReplayedFrameIsRejected() {
        byte[] key = key();
        HbtpFrameCipher sender = new HbtpFrameCipher(key);
        HbtpFrameCipher receiver = new HbtpFrameCipher(key);
        ByteBuf wire = sender.seal(ALLOC, HbtpOpcode.CLIENT_EVENT, HbtpFlags.FINAL, 0, Unpooled.wrappedBuffer(new byte[]{1}));
        HbtpFrame first = decode(wire.retainedDuplicate());
        HbtpFrame replay = decode(wire);
        receiver.open(ALLOC, first).release();
        assertRejected(receiver, replay);
        first.release();
    }

    @Test
    void swappedFramesAreRejected() {
        byte[] key = key();
        HbtpFrameCipher sender = new HbtpFrameCipher(key);
        HbtpFrameCipher receiver = new HbtpFrameCipher(key);
        ByteBuf a = sender.seal(ALLOC, HbtpOpcode.RPC_CALL, HbtpFlags.FINAL, 1, Unpooled.wrappedBuffer(new byte[]{1}));
        ByteBuf b = sender.seal(ALLOC, HbtpOpcode.RPC_CALL, HbtpFlags.FINAL, 1, Unpooled.wrappedBuffer(new byte[]{1}));
        a.release();
        assertRejected(receiver, decode(b));
    }

    @Test
    void theCounterNeverWraps() {
        HbtpFrameCipher sender = new HbtpFrameCipher(key(), -2L);
        sender.seal(ALLOC, HbtpOpcode.PING, HbtpFlags.FINAL, 0, Unpooled.EMPTY_BUFFER).release();
        HbtpProtocolException e = catchThrowableOfType(HbtpProtocolException.class,
                () -> sender.seal(ALLOC, HbtpOpcode.PING, HbtpFlags.FINAL, 0, Unpooled.EMPTY_BUFFER));
        assertThat(e.closeCode()).isEqualTo(HbtpCloseCode.POLICY);
        assertThat(e.reason()).contains("counter exhausted");
    }

    private static void assertTamperedFrameRejected(Consumer<ByteBuf> tamper) {
        byte[] key = key();
        HbtpFrameCipher sender = new HbtpFrameCipher(key);
        ByteBuf wire = sender.seal(ALLOC, HbtpOpcode.RPC_CALL, HbtpFlags.FINAL | HbtpFlags.EXPECTS_RESPONSE, 7,
                Unpooled.wrappedBuffer("secret request".getBytes()));
        tamper.accept(wire);
        assertRejected(new HbtpFrameCipher(key), decode(wire));
    }

    private static void assertRejected(HbtpFrameCipher receiver, HbtpFrame frame) {
        try {
            HbtpProtocolException e = catchThrowableOfType(HbtpProtocolException.class,
                    () -> receiver.open(ALLOC, frame));
            assertThat(e).as("frame must not authenticate").isNotNull();
            assertThat(e.closeCode()).isEqualTo(HbtpCloseCode.POLICY);
        } finally {
            frame.release();
        }
    }

    /** One whole frame from the wire bytes (consumed). */
    private static HbtpFrame decode(ByteBuf wire) {
        HbtpFrame frame = new HbtpFrame(HbtpOpcode.of(HbtpHeader.opcode(wire, 0)), HbtpHeader.flags(wire, 0),
                HbtpHeader.sequence(wire, 0), wire.retainedSlice(HbtpHeader.SIZE, wire.readableBytes() - HbtpHeader.SIZE));
        wire.release();
        return frame;
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }
}
