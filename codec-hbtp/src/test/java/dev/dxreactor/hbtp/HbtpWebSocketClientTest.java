package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java client over WebSocket against a server mounted beside an HTTP API: the same calls, events, topics,
 * encryption and compression as over TCP.
 */
class HbtpWebSocketClientTest {

    private static final int ECHO = 1;
    private static final int FAIL = 2;

    private final HbtpTopics topics = new HbtpTopics();
    private final CompletableFuture<HbtpServerSession> session = new CompletableFuture<>();
    private final CompletableFuture<String> clientEvent = new CompletableFuture<>();
    private WebSocketServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void serve(HbtpServerConfig.Builder hbtp) throws InterruptedException {
        server = new WebSocketServer(HbtpWebSocketConfig.builder(hbtp
                .router(new HbtpRouter()
                        .route(ECHO, call -> call.payload().retain())
                        .route(FAIL, call -> {
                            throw new HbtpRpcException(HbtpStatus.BAD_REQUEST, "no");
                        }))
                .topics(topics)
                .onSession(session::complete)
                .onClientEvent(11, (s, event, payload) -> clientEvent.complete(payload.toString(StandardCharsets.UTF_8)))
                .build()).build());
    }

    private HbtpClient connect(HbtpClientConfig.Builder config) {
        return HbtpClient.connect(server.address(), config.webSocket("/hbtp").build());
    }

    private static ByteBuf utf8(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static String text(HbtpCallFuture call) throws Exception {
        ByteBuf answer = call.get(10, TimeUnit.SECONDS);
        try {
            return answer.toString(StandardCharsets.UTF_8);
        } finally {
            answer.release();
        }
    }

    @Test
    void callsErrorsAndEventsBothWays() throws Exception {
        serve(HbtpServerConfig.builder());
        try (HbtpClient client = connect(HbtpClientConfig.builder())) {
            assertThat(text(client.call(ECHO, utf8("over websocket")))).isEqualTo("over websocket");
            assertThatThrownBy(() -> client.call(FAIL, utf8("x")).get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(HbtpRpcException.class);

            CompletableFuture<String> pushed = new CompletableFuture<>();
            client.onServerEvent(21, (event, payload) -> pushed.complete(payload.toString(StandardCharsets.UTF_8)));
            client.sendEvent(11, utf8("hello server"));
            assertThat(clientEvent.get(10, TimeUnit.SECONDS)).isEqualTo("hello server");
            session.get(10, TimeUnit.SECONDS).sendEvent(21, utf8("hello client"));
            assertThat(pushed.get(10, TimeUnit.SECONDS)).isEqualTo("hello client");
        }
    }

    @Test
    void largeMessagesInManyFramesAndManyCallsInFlightArriveWhole() throws Exception {
        serve(HbtpServerConfig.builder().maxFrameLength(16 << 10));
        try (HbtpClient client = connect(HbtpClientConfig.builder().maxFrameLength(16 << 10)
                .compressionThreshold(0))) {
            byte[] big = new byte[300 << 10];
            new Random(3).nextBytes(big);
            List<HbtpCallFuture> calls = new CopyOnWriteArrayList<>();
            // Few: paranoid leak detection records every access, and the client's masking reads every 4 bytes.
            for (int i = 0; i < 8; i++) {
                calls.add(client.call(ECHO, Unpooled.wrappedBuffer(big)));
            }
            for (HbtpCallFuture call : calls) {
                ByteBuf answer = call.get(30, TimeUnit.SECONDS);
                try {
                    assertThat(ByteBufUtil.getBytes(answer)).isEqualTo(big);
                } finally {
                    answer.release();
                }
            }
        }
    }

    @Test
    void encryptionAndCompressionWorkOverWebSocket() throws Exception {
        serve(HbtpServerConfig.builder().encryption(HbtpEncryptionMode.REQUIRED));
        try (HbtpClient client = connect(HbtpClientConfig.builder().encryption(HbtpEncryptionMode.REQUIRED))) {
            String large = "compressible ".repeat(2000);
            assertThat(text(client.call(ECHO, utf8(large)))).isEqualTo(large);
            assertThat(text(client.call(ECHO, utf8("small")))).isEqualTo("small");
        }
    }

    @Test
    void topicsDeliverStateThenDeltas() throws Exception {
        serve(HbtpServerConfig.builder());
        topics.publish(5, utf8("a"));
        topics.publishDelta(5, utf8("b"));
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        try (HbtpClient client = connect(HbtpClientConfig.builder());
             HbtpSubscription ignored = client.subscribe(5, new HbtpTopicListener() {
                 @Override
                 public void onSync(int topic, long version, ByteBuf state) {
                     seen.add("sync " + version + " " + state.toString(StandardCharsets.UTF_8));
                 }

                 @Override
                 public void onDelta(int topic, long base, long version, ByteBuf delta) {
                     seen.add("delta " + version + " " + delta.toString(StandardCharsets.UTF_8));
                     if (version == 3) {
                         done.countDown();
                     }
                 }
             })) {
            LoopbackServer.await("subscribed", () -> topics.subscriberCount(5) == 1);
            topics.publishDelta(5, utf8("c"));
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(seen).containsExactly("sync 1 a", "delta 2 b", "delta 3 c");
    }

    @Test
    void theCloseHandshakeEndsTheConnectionOnBothSides() throws Exception {
        serve(HbtpServerConfig.builder().idleTimeout(Duration.ofMillis(100)));
        HbtpClient client = connect(HbtpClientConfig.builder().idleTimeout(Duration.ofMillis(100)));
        assertThat(text(client.call(ECHO, utf8("before keepalive")))).isEqualTo("before keepalive");
        Thread.sleep(500);
        assertThat(text(client.call(ECHO, utf8("after keepalive")))).isEqualTo("after keepalive");
        client.close();
        LoopbackServer.await("server side closed", () -> server.connections() == 0);
    }

    @Test
    void wssOnAPortOfItsOwnWithTheStandaloneInitializer() throws Exception {
        X509Bundle cert = new CertificateBuilder().subject("CN=localhost").addSanIpAddress("127.0.0.1")
                .setIsCertificateAuthority(true).ecp256().buildSelfSigned();
        HbtpServerConfig hbtp = HbtpServerConfig.builder()
                .router(new HbtpRouter().route(ECHO, call -> call.payload().retain()))
                .sslContext(SslContextBuilder.forServer(cert.toKeyManagerFactory()).build())
                .build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new HbtpWebSocketInitializer(HbtpWebSocketConfig.builder(hbtp).path("/ws").build()))
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            InetSocketAddress address = (InetSocketAddress) listener.localAddress();
            try (HbtpClient client = HbtpClient.connect(address, HbtpClientConfig.builder()
                    .sslContext(SslContextBuilder.forClient().trustManager(cert.toTrustManagerFactory()).build())
                    .webSocket("/ws").build())) {
                assertThat(client.channel().pipeline().get("ssl")).isNotNull();
                assertThat(text(client.call(ECHO, utf8("over wss")))).isEqualTo("over wss");
            }
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void theStandaloneInitializerAnswersAnyOtherRequest404() throws Exception {
        HbtpServerConfig hbtp = HbtpServerConfig.builder().router(new HbtpRouter()).build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new HbtpWebSocketInitializer(HbtpWebSocketConfig.builder(hbtp).build()))
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            InetSocketAddress address = (InetSocketAddress) listener.localAddress();
            try (RawWebSocket other = new RawWebSocket(address, "/index.html", null, false, 0)) {
                assertThat(other.status()).isEqualTo(404);
                assertThat(other.closedByServer()).isTrue();
            }
            try (RawWebSocket upgrade = RawWebSocket.upgrade(address)) {
                assertThat(upgrade.status()).isEqualTo(101);
                upgrade.handshake(HbtpCapabilities.METADATA);
            }
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aClientUpgradingAPathNotServedFailsToConnect() throws Exception {
        serve(HbtpServerConfig.builder());
        assertThatThrownBy(() -> HbtpClient.connect(server.address(), HbtpClientConfig.builder()
                .connectTimeout(Duration.ofSeconds(5)).webSocket("/elsewhere").build()))
                .isInstanceOf(HbtpException.class);
    }
}
