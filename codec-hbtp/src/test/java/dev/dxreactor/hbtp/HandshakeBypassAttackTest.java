package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attacks on the handshake: frames smuggled behind a HELLO that is not one frame, plaintext behind an
 * encrypted handshake at every read boundary, an impostor server, and a relay that edits either HELLO.
 * What the attacker gets is checked (no route ran, no connect succeeded), not only that a CLOSE came.
 */
class HandshakeBypassAttackTest {

    private static final int ROUTE = 1;
    private static final byte[] PSK = "a pre-shared key of 32 bytes....".getBytes(StandardCharsets.US_ASCII);

    private final AtomicInteger routeRuns = new AtomicInteger();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private HbtpServerConfig.Builder config() {
        return HbtpServerConfig.builder().router(new HbtpRouter().route(ROUTE, call -> {
            routeRuns.incrementAndGet();
            return call.payload().retain();
        }));
    }

    private HostileServer serve(HbtpServerConfig.Builder config) throws InterruptedException {
        HostileServer server = new HostileServer(config.build());
        resources.add(server);
        return server;
    }

    private static byte[] encryptedHelloBody() {
        return new HbtpHello(HbtpHello.VERSION, HbtpCapabilities.ENCRYPTION | HbtpCapabilities.METADATA, 1 << 20,
                16 << 20, HbtpKeyExchange.start().publicKey()).body();
    }

    @Test
    void aFragmentedHelloFollowedByAPlaintextCallRunsNothingOnAServerThatRequiresAKey() throws Exception {
        HostileServer server = serve(config().preSharedKey(PSK));
        byte[] hello = encryptedHelloBody();
        byte[] attack = RawPeer.concat(
                RawPeer.frame(HbtpOpcode.HELLO, 0, 0, Arrays.copyOfRange(hello, 0, 10)),
                RawPeer.frame(HbtpOpcode.HELLO, HbtpFlags.FINAL, 0, Arrays.copyOfRange(hello, 10, hello.length)),
                RawPeer.call(1, ROUTE, "smuggled".getBytes(StandardCharsets.US_ASCII)));
        try (RawPeer peer = new RawPeer(server.address())) {
            peer.send(attack);
            RawPeer.Frame close = peer.readUntilClose();
            assertThat(close.closeCode()).isEqualTo(HbtpCloseCode.PROTOCOL_ERROR);
            assertThat(close.closeReason()).contains("HELLO must be one frame");
            assertThat(peer.closedByServer()).isTrue();
        }
        assertThat(routeRuns).hasValue(0);
    }

    @Test
    void aHelloWithAnyFlagBesidesFinalIsRefusedWith1002() throws Exception {
        HostileServer server = serve(config());
        for (int flags : new int[]{HbtpFlags.FINAL | HbtpFlags.COMPRESSED, HbtpFlags.FINAL | HbtpFlags.METADATA,
                HbtpFlags.FINAL | HbtpFlags.EXPECTS_RESPONSE, HbtpFlags.FINAL | HbtpFlags.ENCRYPTED, 0}) {
            try (RawPeer peer = new RawPeer(server.address())) {
                peer.send(RawPeer.concat(RawPeer.frame(HbtpOpcode.HELLO, flags, 0, RawPeer.helloBody(0)),
                        RawPeer.call(1, ROUTE, new byte[1])));
                assertThat(peer.readUntilClose().closeCode()).as("flags %s", HbtpFlags.toString(flags))
                        .isEqualTo(HbtpCloseCode.PROTOCOL_ERROR);
            }
        }
        assertThat(routeRuns).hasValue(0);
    }

    /**
     * A valid encrypted HELLO with a plaintext call right behind it, the bytes cut into two reads at any
     * point: the call is never run, and the connection closes with 1008 (plaintext after encryption).
     */
    @Property(tries = 150)
    void plaintextBehindAnEncryptedHelloIsNeverRunWhateverTheReadBoundary(
            @ForAll @IntRange(min = 1, max = 200) int cut) {
        routeRuns.set(0);
        byte[] attack = RawPeer.concat(RawPeer.frame(HbtpOpcode.HELLO, HbtpFlags.FINAL, 0, encryptedHelloBody()),
                RawPeer.call(1, ROUTE, new byte[64]));
        int at = Math.min(cut, attack.length - 1);
        try (ServerHarness server = new ServerHarness(config().preSharedKey(PSK).build())) {
            server.sendRaw(Unpooled.wrappedBuffer(Arrays.copyOfRange(attack, 0, at)));
            if (server.channel.isOpen()) {
                server.sendRaw(Unpooled.wrappedBuffer(Arrays.copyOfRange(attack, at, attack.length)));
            }
            assertThat(server.channel.isOpen()).isFalse();
        }
        assertThat(routeRuns).hasValue(0);
    }

    @Test
    void aClientRefusesAFragmentedHelloAckFollowedByAPlaintextPing() throws Exception {
        assertImpostorIsRefused(clientHello -> {
            byte[] ack = new HbtpHello(HbtpHello.VERSION, HbtpCapabilities.ENCRYPTION | HbtpCapabilities.METADATA,
                    1 << 20, 16 << 20, HbtpKeyExchange.start().publicKey()).body();
            return RawPeer.concat(
                    RawPeer.frame(HbtpOpcode.HELLO_ACK, 0, 0, Arrays.copyOfRange(ack, 0, 20)),
                    RawPeer.frame(HbtpOpcode.HELLO_ACK, HbtpFlags.FINAL, 0, Arrays.copyOfRange(ack, 20, ack.length)),
                    RawPeer.frame(HbtpOpcode.PING, HbtpFlags.FINAL, 0, new byte[8]));
        });
    }

    @Test
    void aClientRefusesAnEncryptedHelloAckFollowedByAPlaintextPing() throws Exception {
        assertImpostorIsRefused(clientHello -> RawPeer.concat(
                RawPeer.frame(HbtpOpcode.HELLO_ACK, HbtpFlags.FINAL, 0, new HbtpHello(HbtpHello.VERSION,
                        HbtpCapabilities.ENCRYPTION | HbtpCapabilities.METADATA, 1 << 20, 16 << 20,
                        HbtpKeyExchange.start().publicKey()).body()),
                RawPeer.frame(HbtpOpcode.PING, HbtpFlags.FINAL, 0, new byte[8])));
    }

    private interface Impostor {
        byte[] answer(byte[] clientHello) throws IOException;
    }

    /** A server that answers the client's HELLO with {@code impostor}'s bytes: the client must not connect. */
    private void assertImpostorIsRefused(Impostor impostor) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread answering = Thread.ofVirtual().start(() -> {
                try (Socket s = listener.accept()) {
                    byte[] hello = new byte[HbtpHeader.SIZE + HbtpHello.SIZE + HbtpKeyExchange.PUBLIC_KEY_SIZE];
                    s.getInputStream().readNBytes(hello, 0, hello.length);
                    s.getOutputStream().write(impostor.answer(hello));
                    s.getOutputStream().flush();
                    s.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // The client hung up, as it should.
                }
            });
            assertThatThrownBy(() -> HbtpClient.connect(new InetSocketAddress(listener.getInetAddress(),
                    listener.getLocalPort()), HbtpClientConfig.builder().preSharedKey(PSK)
                    .connectTimeout(Duration.ofSeconds(5)).build()))
                    .isInstanceOf(HbtpException.class);
            answering.join(10_000);
        }
    }

    /**
     * A relay that passes every byte but edits one field of one HELLO: with a pre-shared key on both ends,
     * the transcript in the key schedule makes the connect fail with 1008, never succeed with edited limits.
     */
    @Test
    void aRelayThatEditsEitherHelloMakesAPreSharedKeyConnectFailWith1008() throws Exception {
        HostileServer server = serve(config().preSharedKey(PSK).compressionThreshold(512));
        // Offsets in the frame: 8 header bytes, then magic (4), version, reserved, capabilities (2),
        // maxFrameLength (4), maxMessageLength (4).
        int[][] edits = {
                {0, 8 + 6, HbtpCapabilities.ZSTD},       // the client's ZSTD offer removed
                {0, 8 + 9, 0x01},                         // the client's maxFrameLength changed
                {0, 8 + 14, 0x01},                        // the client's maxMessageLength changed
                {1, 8 + 6, HbtpCapabilities.METADATA},    // the server's METADATA grant removed
                {1, 8 + 10, 0x01},                        // the server's maxFrameLength changed
        };
        for (int[] edit : edits) {
            try (EditingRelay relay = new EditingRelay(server.address(), edit[0] == 1, edit[1], (byte) edit[2])) {
                assertThatThrownBy(() -> HbtpClient.connect(relay.address(), HbtpClientConfig.builder()
                        .preSharedKey(PSK).compressionThreshold(512).connectTimeout(Duration.ofSeconds(5)).build()))
                        .as("edit %s", Arrays.toString(edit))
                        .isInstanceOf(HbtpException.class)
                        .hasMessageContaining("1008");
                assertThat(relay.edited()).as("edit %s was made", Arrays.toString(edit)).isTrue();
            }
        }
        assertThat(routeRuns).hasValue(0);
    }

    @Test
    void theSameRelayWithoutEditsConnects() throws Exception {
        HostileServer server = serve(config().preSharedKey(PSK));
        try (EditingRelay relay = new EditingRelay(server.address(), false, -1, (byte) 0);
             HbtpClient client = HbtpClient.connect(relay.address(), HbtpClientConfig.builder().preSharedKey(PSK)
                     .build())) {
            ByteBuf answer = client.call(ROUTE, Unpooled.wrappedBuffer(new byte[]{1, 2, 3})).get();
            try {
                assertThat(io.netty.buffer.ByteBufUtil.getBytes(answer)).containsExactly(1, 2, 3);
            } finally {
                answer.release();
            }
        }
    }

    /** Copies bytes both ways between one client and the server, XOR-ing one byte at a fixed offset. */
    private static final class EditingRelay implements AutoCloseable {
        private final ServerSocket listener;
        private final List<Socket> sockets = new ArrayList<>();
        private volatile boolean edited;

        EditingRelay(InetSocketAddress server, boolean fromServer, int offset, byte xor) throws IOException {
            listener = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                try {
                    Socket client = listener.accept();
                    Socket upstream = new Socket(server.getAddress(), server.getPort());
                    synchronized (sockets) {
                        sockets.add(client);
                        sockets.add(upstream);
                    }
                    Thread.ofVirtual().start(() -> pump(client, upstream, fromServer ? -1 : offset, xor));
                    pump(upstream, client, fromServer ? offset : -1, xor);
                } catch (IOException ignored) {
                    // Closed by the test.
                }
            });
        }

        InetSocketAddress address() {
            return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
        }

        boolean edited() {
            return edited;
        }

        private void pump(Socket from, Socket to, int offset, byte xor) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[8192];
                long position = 0;
                for (int n; (n = in.read(buffer)) > 0; ) {
                    if (offset >= position && offset < position + n) {
                        buffer[(int) (offset - position)] ^= xor;
                        edited = true;
                    }
                    position += n;
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // One side hung up.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Already closed.
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            synchronized (sockets) {
                sockets.forEach(EditingRelay::closeQuietly);
            }
        }
    }
}
