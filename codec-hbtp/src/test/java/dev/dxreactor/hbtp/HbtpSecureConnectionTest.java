package dev.dxreactor.hbtp;

import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.WorkerStrategy;
import dev.dxreactor.transport.TransportProvider;
import dev.dxreactor.transport.Transports;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Encryption, pre-shared keys, TLS and zstd dictionaries between a real {@link HbtpClient} and server over
 * loopback sockets.
 */
class HbtpSecureConnectionTest {

    private static final int ECHO = 1;
    private static final byte[] PSK = "a pre-shared key of 32 bytes....".getBytes(StandardCharsets.US_ASCII);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    /** COMPRESSED messages that reached the server, counted between codec and session. */
    private final AtomicInteger compressedAtServer = new AtomicInteger();
    private DxReactor reactor;

    static Stream<String> transports() {
        return Transports.available().stream().map(TransportProvider::name);
    }

    private InetSocketAddress serve(String transport, HbtpServerConfig.Builder config) throws InterruptedException {
        reactor = DxReactor.builder().transport(transport).workers(WorkerStrategy.fixed(2)).build();
        resources.add(reactor);
        HbtpRouter router = new HbtpRouter().route(ECHO, call -> {
            calls.incrementAndGet();
            return call.payload().retain();
        });
        HbtpServerConfig built = config.router(router).middleware(CompressionCounter::new).build();
        Channel listener = reactor.serverBootstrap().childHandler(new HbtpServerInitializer(built))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        resources.add(() -> listener.close().sync());
        return (InetSocketAddress) listener.localAddress();
    }

    private InetSocketAddress serve(HbtpServerConfig.Builder config) throws InterruptedException {
        return serve("nio", config);
    }

    private HbtpClient connect(InetSocketAddress address, HbtpClientConfig.Builder config) {
        HbtpClient client = HbtpClient.connect(address, config.build());
        resources.add(client);
        return client;
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void encryptedCallsEventsAndFragmentsWorkOnEveryTransport(String transport) throws Exception {
        CountDownLatch event = new CountDownLatch(1);
        InetSocketAddress address = serve(transport, HbtpServerConfig.builder().maxFrameLength(4096)
                .onClientEvent(5, (session, id, payload) -> event.countDown()));
        HbtpClient client = connect(address, HbtpClientConfig.builder().encryption(HbtpEncryptionMode.REQUIRED)
                .maxFrameLength(1024)
                .eventLoop(reactor.group(), reactor.transport().socketChannelClass()));
        assertThat(client.capabilities() & HbtpCapabilities.ENCRYPTION).isNotZero();

        byte[] big = pattern(100_000);
        assertThat(echo(client, big)).isEqualTo(big);
        assertThat(echo(client, new byte[0])).isEmpty();
        client.sendEvent(5, Unpooled.wrappedBuffer(big));
        assertThat(event.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aClientThatRequiresEncryptionRefusesAServerWithItOff() throws Exception {
        InetSocketAddress address = serve(HbtpServerConfig.builder().encryption(HbtpEncryptionMode.OFF));
        assertThatThrownBy(() -> connect(address, HbtpClientConfig.builder().encryption(HbtpEncryptionMode.REQUIRED)))
                .isInstanceOf(HbtpException.class)
                .hasMessageContaining("did not agree to encryption");
    }

    @Test
    void anOptionalClientGoesOnInPlaintextWithAServerWithEncryptionOff() throws Exception {
        InetSocketAddress address = serve(HbtpServerConfig.builder().encryption(HbtpEncryptionMode.OFF));
        HbtpClient client = connect(address, HbtpClientConfig.builder().encryption(HbtpEncryptionMode.OPTIONAL));
        assertThat(client.capabilities() & HbtpCapabilities.ENCRYPTION).isZero();
        assertThat(echo(client, pattern(10))).isEqualTo(pattern(10));
    }

    @Test
    void aServerThatRequiresEncryptionRefusesAPlaintextClientWithTheReason() throws Exception {
        InetSocketAddress address = serve(HbtpServerConfig.builder().encryption(HbtpEncryptionMode.REQUIRED));
        assertThatThrownBy(() -> connect(address, HbtpClientConfig.builder()))
                .isInstanceOf(HbtpException.class)
                .hasMessageContaining("1008")
                .hasMessageContaining("requires encryption");
    }

    @Test
    void theSamePreSharedKeyOnBothEndsConnects() throws Exception {
        InetSocketAddress address = serve(HbtpServerConfig.builder().preSharedKey(PSK));
        HbtpClient client = connect(address, HbtpClientConfig.builder().preSharedKey(PSK));
        assertThat(echo(client, pattern(64))).isEqualTo(pattern(64));
    }

    @Test
    void anotherPreSharedKeyFailsTheConnectWith1008() throws Exception {
        InetSocketAddress address = serve(HbtpServerConfig.builder().preSharedKey(PSK));
        byte[] other = PSK.clone();
        other[0] ^= 1;
        assertThatThrownBy(() -> connect(address, HbtpClientConfig.builder().preSharedKey(other)))
                .isInstanceOf(HbtpException.class)
                .hasMessageContaining("1008");
        assertThat(calls).hasValue(0);
    }

    @Test
    void withoutAPreSharedKeyAManInTheMiddleReadsEverything() throws Exception {
        InetSocketAddress server = serve(HbtpServerConfig.builder());
        try (HbtpInterceptingProxy proxy = new HbtpInterceptingProxy(reactor, server)) {
            HbtpClient client = connect(proxy.address(), HbtpClientConfig.builder()
                    .encryption(HbtpEncryptionMode.REQUIRED).idleTimeout(Duration.ZERO));
            byte[] secret = "card 4111 1111 1111 1111".getBytes(StandardCharsets.US_ASCII);
            assertThat(echo(client, secret)).isEqualTo(secret);
            // Why the pre-shared key matters: X25519 alone gives this proxy both sessions' keys.
            assertThat(proxy.sawPlaintext(secret)).isTrue();
        }
    }

    @Test
    void withAPreSharedKeyAManInTheMiddleFailsTheHandshake() throws Exception {
        InetSocketAddress server = serve(HbtpServerConfig.builder().preSharedKey(PSK));
        try (HbtpInterceptingProxy proxy = new HbtpInterceptingProxy(reactor, server)) {
            assertThatThrownBy(() -> connect(proxy.address(), HbtpClientConfig.builder().preSharedKey(PSK)
                    .connectTimeout(Duration.ofSeconds(5))))
                    .isInstanceOf(HbtpException.class)
                    .hasMessageContaining("handshake");
            assertThat(proxy.keysSubstituted()).as("the proxy did intercept the key exchange").isTrue();
            assertThat(proxy.openedAnything()).as("the proxy opened nothing the real ends sealed").isFalse();
            assertThat(calls).hasValue(0);
        }
    }

    @Test
    void hbtpRunsOverTlsWithAndWithoutItsOwnEncryption() throws Exception {
        X509Bundle cert = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
                .addSanIpAddress("127.0.0.1").setIsCertificateAuthority(true).ecp256().buildSelfSigned();
        SslContext serverTls = SslContextBuilder.forServer(cert.toKeyManagerFactory()).build();
        SslContext clientTls = SslContextBuilder.forClient().trustManager(cert.toTrustManagerFactory()).build();
        InetSocketAddress address = serve(HbtpServerConfig.builder().sslContext(serverTls));

        HbtpClient plain = connect(address, HbtpClientConfig.builder().sslContext(clientTls));
        assertThat(plain.channel().pipeline().get("ssl")).isNotNull();
        assertThat(echo(plain, pattern(5000))).isEqualTo(pattern(5000));

        HbtpClient both = connect(address, HbtpClientConfig.builder().sslContext(clientTls)
                .encryption(HbtpEncryptionMode.REQUIRED));
        assertThat(both.capabilities() & HbtpCapabilities.ENCRYPTION).isNotZero();
        assertThat(echo(both, pattern(5000))).isEqualTo(pattern(5000));
    }

    @Test
    void aTlsClientThatDoesNotTrustTheServerCannotConnect() throws Exception {
        X509Bundle cert = new CertificateBuilder().subject("CN=localhost").addSanIpAddress("127.0.0.1")
                .setIsCertificateAuthority(true).ecp256().buildSelfSigned();
        X509Bundle stranger = new CertificateBuilder().subject("CN=stranger").setIsCertificateAuthority(true)
                .ecp256().buildSelfSigned();
        InetSocketAddress address = serve(HbtpServerConfig.builder()
                .sslContext(SslContextBuilder.forServer(cert.toKeyManagerFactory()).build()));
        SslContext distrustful = SslContextBuilder.forClient().trustManager(stranger.toTrustManagerFactory()).build();
        assertThatThrownBy(() -> connect(address, HbtpClientConfig.builder().sslContext(distrustful)))
                .isInstanceOf(HbtpException.class);
        assertThat(calls).hasValue(0);
    }

    @Test
    void aSharedZstdDictionaryCompressesSmallMessages() throws Exception {
        byte[] dictionary = ("{\"user\":{\"id\":,\"name\":\"\",\"email\":\"@example.com\",\"active\":true,"
                + "\"roles\":[\"reader\",\"writer\"]}}").repeat(4).getBytes(StandardCharsets.UTF_8);
        byte[] message = "{\"user\":{\"id\":42,\"name\":\"Ada\",\"email\":\"ada@example.com\",\"active\":true,\"roles\":[\"reader\",\"writer\"]}}"
                .getBytes(StandardCharsets.UTF_8);
        InetSocketAddress address = serve(HbtpServerConfig.builder().compressionThreshold(64)
                .zstdDictionary(dictionary));

        HbtpClient client = connect(address, HbtpClientConfig.builder().compressionThreshold(64)
                .zstdDictionary(dictionary));
        assertThat(echo(client, message)).isEqualTo(message);
        assertThat(compressedAtServer).hasValue(1);

        ByteBuf plain = HbtpCompression.compress(ByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(message), 64);
        ByteBuf withDictionary = HbtpCompression.compress(ByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(message),
                64, HbtpZstdDictionary.of(dictionary));
        try {
            assertThat(withDictionary.readableBytes()).as("the dictionary is what makes small messages pay")
                    .isLessThan(plain.readableBytes() / 2);
        } finally {
            plain.release();
            withDictionary.release();
        }
    }

    @Test
    void differentDictionariesCloseTheConnectionInsteadOfDeliveringWrongBytes() throws Exception {
        byte[] serverDictionary = "{\"user\":{\"id\":,\"name\":\"\",\"email\":\"@example.com\"}}".repeat(4)
                .getBytes(StandardCharsets.UTF_8);
        byte[] clientDictionary = "{\"user\":{\"id\":,\"nom\":\"\",\"courriel\":\"@exemple.fr\"}}".repeat(4)
                .getBytes(StandardCharsets.UTF_8);
        InetSocketAddress address = serve(HbtpServerConfig.builder().compressionThreshold(32)
                .zstdDictionary(serverDictionary));
        HbtpClient client = connect(address, HbtpClientConfig.builder().compressionThreshold(32)
                .zstdDictionary(clientDictionary));
        byte[] message = "{\"user\":{\"id\":7,\"nom\":\"Grace\",\"courriel\":\"grace@exemple.fr\"}}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> client.call(ECHO, Unpooled.wrappedBuffer(message)).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("1009");
        assertThat(calls).hasValue(0);
    }

    static byte[] echo(HbtpClient client, byte[] request) throws Exception {
        ByteBuf answer = client.call(ECHO, Unpooled.wrappedBuffer(request)).get(10, TimeUnit.SECONDS);
        try {
            return HbtpFrameCodecTest.bytes(answer);
        } finally {
            answer.release();
        }
    }

    static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 131 + (i >>> 9));
        }
        return bytes;
    }

    /** Counts inbound messages still marked COMPRESSED, which the session inflates after it. */
    private final class CompressionCounter extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HbtpFrame frame && frame.hasFlag(HbtpFlags.COMPRESSED)) {
                compressedAtServer.incrementAndGet();
            }
            ctx.fireChannelRead(msg);
        }
    }
}
