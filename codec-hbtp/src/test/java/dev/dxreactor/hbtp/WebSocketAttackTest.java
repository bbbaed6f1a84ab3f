package dev.dxreactor.hbtp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile WebSocket peers against HBTP over WebSocket mounted beside an HTTP API: every violation ends only its
 * own connection, with HBTP CLOSE first (its code) and then the WebSocket close frame (the matching code).
 */
class WebSocketAttackTest {

    private static final int ECHO = 1;
    private static final int BIG = 2;
    private static final int ANSWER_BYTES = 64 * 1024;

    private final AtomicLong answered = new AtomicLong();
    private WebSocketServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void serve(HbtpServerConfig.Builder hbtp, java.util.function.Predicate<String> origins)
            throws InterruptedException {
        HbtpServerConfig config = hbtp.router(new HbtpRouter()
                        .route(ECHO, call -> call.payload().retain())
                        .route(BIG, call -> {
                            answered.incrementAndGet();
                            return call.alloc().directBuffer(ANSWER_BYTES).writeZero(ANSWER_BYTES);
                        }))
                .build();
        HbtpWebSocketConfig.Builder ws = HbtpWebSocketConfig.builder(config);
        if (origins != null) {
            ws.allowedOrigins(origins);
        }
        server = new WebSocketServer(ws.build());
    }

    private void serve(HbtpServerConfig.Builder hbtp) throws InterruptedException {
        serve(hbtp, null);
    }

    /** HBTP CLOSE with {@code hbtpCode} in a binary message, then the WebSocket close frame with {@code wsCode}. */
    private static void assertClosedWith(RawWebSocket peer, int hbtpCode, int wsCode) throws Exception {
        List<RawWebSocket.Frame> before = new ArrayList<>();
        RawWebSocket.Frame close = peer.readUntilClose(before);
        List<RawPeer.Frame> hbtp = before.stream().filter(f -> f.opcode() == RawWebSocket.BINARY)
                .flatMap(f -> Arrays.stream(f.hbtpFrames())).toList();
        assertThat(hbtp).as("HBTP frames before the close frame").isNotEmpty();
        RawPeer.Frame last = hbtp.getLast();
        assertThat(last.is(HbtpOpcode.CLOSE)).as("last HBTP frame is CLOSE").isTrue();
        assertThat(last.closeCode()).as("HBTP close code (" + last.closeReason() + ")").isEqualTo(hbtpCode);
        assertThat(close).as("WebSocket close frame").isNotNull();
        assertThat(close.closeCode()).as("WebSocket close code").isEqualTo(wsCode);
        assertThat(peer.closedByServer()).isTrue();
    }

    @Test
    void severalWholeFramesInOneMessageAreAllServed() throws Exception {
        serve(HbtpServerConfig.builder());
        try (RawWebSocket peer = RawWebSocket.upgrade(server.address())) {
            assertThat(peer.status()).isEqualTo(101);
            peer.sendBinary(RawPeer.concat(
                    RawPeer.frame(HbtpOpcode.HELLO, HbtpFlags.FINAL, 0, RawPeer.helloBody(HbtpCapabilities.METADATA)),
                    RawPeer.call(1, ECHO, "one".getBytes(StandardCharsets.UTF_8)),
                    RawPeer.call(2, ECHO, "two".getBytes(StandardCharsets.UTF_8))));
            List<RawPeer.Frame> frames = new ArrayList<>();
            while (frames.size() < 3) {
                frames.addAll(Arrays.asList(peer.read().hbtpFrames()));
            }
            assertThat(frames.get(0).is(HbtpOpcode.HELLO_ACK)).isTrue();
            assertThat(frames.subList(1, 3)).extracting(f -> new String(f.payload(), StandardCharsets.UTF_8))
                    .containsExactly("one", "two");
        }
    }

    @Test
    void aMessageThatEndsInsideAFrameCloses1002And1007() throws Exception {
        serve(HbtpServerConfig.builder());
        try (RawWebSocket peer = RawWebSocket.upgrade(server.address())) {
            peer.handshake(HbtpCapabilities.METADATA);
            byte[] call = RawPeer.call(1, ECHO, new byte[100]);
            peer.sendBinary(Arrays.copyOf(call, 50));
            assertClosedWith(peer, HbtpCloseCode.PROTOCOL_ERROR, 1007);
        }
    }

    @Test
    void aFrameSplitOverTwoMessagesIsRefusedEvenWhenTheSecondCompletesIt() throws Exception {
        serve(HbtpServerConfig.builder());
        try (RawWebSocket peer = RawWebSocket.upgrade(server.address())) {
            peer.handshake(HbtpCapabilities.METADATA);
            byte[] call = RawPeer.call(1, ECHO, new byte[100]);
            peer.send(RawPeer.concat(RawWebSocket.frame(RawWebSocket.BINARY, true, Arrays.copyOf(call, 50)),
                    RawWebSocket.frame(RawWebSocket.BINARY, true, Arrays.copyOfRange(call, 50, call.length))));
            assertClosedWith(peer, HbtpCloseCode.PROTOCOL_ERROR, 1007);
        }
    }

    @Test
    void aFrameInWebSocketFragmentsOfOneMessageIsServed() throws Exception {
        serve(HbtpServerConfig.builder());
        try (RawWebSocket peer = RawWebSocket.upgrade(server.address())) {
            peer.handshake(HbtpCapabilities.METADATA);
            byte[] call = RawPeer.call(7, ECHO, "fragmented".getBytes(StandardCharsets.UTF_8));
            peer.send(RawPeer.concat(RawWebSocket.frame(RawWebSocket.BINARY, false, Arrays.copyOf(call, 5)),
                    RawWebSocket.frame(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(call, 5, call.length))));
            RawPeer.Frame answer = peer.read().hbtpFrames()[0];
            assertThat(answer.sequence()).isEqualTo(7);
            assertThat(new String(answer.payload(), StandardCharsets.UTF_8)).isEqualTo("fragmented");
        }
    }

    @Test
    void aTextMessageCloses1003() throws Exception {
        serve(HbtpServerConfig.builder());
        try (RawWebSocket peer = RawWebSocket.upgrade(server.address())) {
            peer.handshake(HbtpCapabilities.METADATA);
            peer.send(RawWebSocket.frame(RawWebSocket.TEXT, true, "{\"route\":1}".getBytes(StandardCharsets.UTF_8)));
            assertClosedWith(peer, HbtpCloseCode.UNSUPPORTED, 1003);
        }
    }

    @Test
    void aWebSocketFrameClaimingMoreThanTheLimitCloses1009BeforeItsPayloadArrives() throws Exception {
        serve(HbtpServerConfig.builder());
        try (RawWebSocket peer = RawWebSocket.upgrade(server.address())) {
            peer.handshake(HbtpCapabilities.METADATA);
            peer.send(RawWebSocket.headerOnly(RawWebSocket.BINARY, 1L << 40));
            assertClosedWith(peer, HbtpCloseCode.TOO_LARGE, 1009);
        }
    }

    @Test
    void aMessageOverTheLimitInSmallFragmentsCloses1009() throws Exception {
        serve(HbtpServerConfig.builder().maxFrameLength(1024).maxMessageLength(1 << 20));
        try (RawWebSocket peer = RawWebSocket.upgrade(server.address())) {
            peer.handshake(HbtpCapabilities.METADATA);
            byte[] piece = new byte[40 << 10];
            peer.send(RawWebSocket.frame(RawWebSocket.BINARY, false, piece));
            peer.send(RawWebSocket.frame(RawWebSocket.CONTINUATION, false, piece));
            assertClosedWith(peer, HbtpCloseCode.TOO_LARGE, 1009);
        }
    }

    @Test
    void aPeerTricklingAWebSocketFrameIsClosed1001() throws Exception {
        serve(HbtpServerConfig.builder().frameTimeout(Duration.ofMillis(300)).idleTimeout(Duration.ZERO));
        try (RawWebSocket peer = RawWebSocket.upgrade(server.address())) {
            peer.handshake(HbtpCapabilities.METADATA);
            byte[] call = RawWebSocket.frame(RawWebSocket.BINARY, true, RawPeer.call(1, ECHO, new byte[1000]));
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < call.length - 1; i++) {
                        peer.send(new byte[] {call[i]});
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    // the server closed: what the test waits for
                }
            });
            assertClosedWith(peer, HbtpCloseCode.GOING_AWAY, 1001);
            trickle.interrupt();
            trickle.join();
        }
    }

    @Test
    void aPeerThatNeverReadsIsPausedAndTheServerHoldsABoundedAmount() throws Exception {
        serve(HbtpServerConfig.builder().maxInFlight(65_535).idleTimeout(Duration.ZERO));
        try (RawWebSocket peer = new RawWebSocket(server.address(), "/hbtp", null, true, 4096)) {
            peer.handshake(HbtpCapabilities.METADATA);
            int calls = 20_000;
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < calls; i++) {
                        peer.sendBinary(RawPeer.call(i & 0xFFFF, BIG, new byte[0]));
                    }
                } catch (Exception e) {
                    // the socket closed under the sender
                }
            });
            long runs = Settle.value(answered::get, 1000);
            long held = server.bytesHeld();
            assertThat(runs).as("calls answered before the server stopped reading").isLessThan(calls / 4);
            assertThat(held).as("bytes the server holds for a peer that does not read").isLessThanOrEqualTo(8L << 20);
            peer.close();
            sender.join();
        }
    }

    @Test
    void aForeignOriginIsRefused403BeforeTheUpgradeAndTheServersOwnOriginIsNot() throws Exception {
        serve(HbtpServerConfig.builder());
        try (RawWebSocket evil = new RawWebSocket(server.address(), "/hbtp", "https://evil.example", true, 0)) {
            assertThat(evil.status()).isEqualTo(403);
            assertThat(evil.closedByServer()).isTrue();
        }
        String own = "http://127.0.0.1:" + server.address().getPort();
        try (RawWebSocket page = new RawWebSocket(server.address(), "/hbtp", own, true, 0)) {
            assertThat(page.status()).isEqualTo(101);
            page.handshake(HbtpCapabilities.METADATA);
        }
        try (RawWebSocket otherPort = new RawWebSocket(server.address(), "/hbtp", "http://127.0.0.1:1", true, 0)) {
            assertThat(otherPort.status()).isEqualTo(403);
        }
    }

    @Test
    void aConfiguredOriginPolicyDecides() throws Exception {
        serve(HbtpServerConfig.builder(), "https://app.example"::equals);
        try (RawWebSocket app = new RawWebSocket(server.address(), "/hbtp", "https://app.example", true, 0)) {
            assertThat(app.status()).isEqualTo(101);
        }
        String own = "http://127.0.0.1:" + server.address().getPort();
        try (RawWebSocket page = new RawWebSocket(server.address(), "/hbtp", own, true, 0)) {
            assertThat(page.status()).isEqualTo(403);
        }
    }

    @Test
    void requestsThatAreNotAnUpgradeNeverReachHbtp() throws Exception {
        serve(HbtpServerConfig.builder());
        try (RawWebSocket plain = new RawWebSocket(server.address(), "/hbtp", null, false, 0)) {
            assertThat(plain.status()).isBetween(400, 499);
        }
        try (RawWebSocket api = new RawWebSocket(server.address(), "/api", null, false, 0)) {
            assertThat(api.status()).as("the JSON API on the same port").isEqualTo(200);
        }
        try (RawWebSocket wrongPath = new RawWebSocket(server.address(), "/hbtp2", null, true, 0)) {
            assertThat(wrongPath.status()).as("an upgrade elsewhere is the API's: not found").isEqualTo(404);
        }
    }

    @Test
    void webSocketPingIsAnsweredAndHbtpKeepaliveRunsOverWebSocket() throws Exception {
        serve(HbtpServerConfig.builder().idleTimeout(Duration.ofMillis(200)).pongTimeout(Duration.ofSeconds(5)));
        try (RawWebSocket peer = RawWebSocket.upgrade(server.address())) {
            peer.handshake(HbtpCapabilities.METADATA);
            peer.send(RawWebSocket.frame(RawWebSocket.PING, true, "are you there".getBytes(StandardCharsets.UTF_8)));
            int hbtpPings = 0;
            boolean pong = false;
            while (!pong || hbtpPings < 2) {
                RawWebSocket.Frame f = peer.read();
                assertThat(f).as("connection open").isNotNull();
                if (f.opcode() == RawWebSocket.PONG) {
                    assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo("are you there");
                    pong = true;
                } else if (f.opcode() == RawWebSocket.BINARY) {
                    for (RawPeer.Frame h : f.hbtpFrames()) {
                        assertThat(h.is(HbtpOpcode.PING)).as("only keepalive is sent").isTrue();
                        hbtpPings++;
                        peer.sendBinary(RawPeer.frame(HbtpOpcode.PONG, HbtpFlags.FINAL, h.sequence(), h.payload()));
                    }
                }
            }
        }
    }

    @Test
    void webSocketProtocolErrorsClose1002Both() throws Exception {
        serve(HbtpServerConfig.builder());
        byte[] call = RawPeer.call(1, ECHO, new byte[4]);
        byte[] unmasked = RawPeer.concat(new byte[] {(byte) (0x80 | RawWebSocket.BINARY), (byte) call.length}, call);
        byte[] rsv = RawWebSocket.frame(RawWebSocket.BINARY, true, call);
        rsv[0] |= 0x40;   // RSV1: permessage-deflate, which was not negotiated
        for (byte[] bad : List.of(unmasked, rsv)) {
            try (RawWebSocket peer = RawWebSocket.upgrade(server.address())) {
                peer.handshake(HbtpCapabilities.METADATA);
                peer.send(bad);
                assertClosedWith(peer, HbtpCloseCode.PROTOCOL_ERROR, 1002);
            }
        }
    }

    @Test
    void aPeerThatUpgradesAndNeverSaysHelloIsClosedOnTheHelloTimeout() throws Exception {
        serve(HbtpServerConfig.builder().helloTimeout(Duration.ofMillis(200)));
        try (RawWebSocket peer = RawWebSocket.upgrade(server.address())) {
            assertThat(peer.status()).isEqualTo(101);
            assertClosedWith(peer, HbtpCloseCode.PROTOCOL_ERROR, 1002);
        }
    }

    @Test
    void hbtpViolationsInsideAMessageCloseWithTheirHbtpCode() throws Exception {
        serve(HbtpServerConfig.builder());
        try (RawWebSocket peer = RawWebSocket.upgrade(server.address())) {
            peer.sendBinary(RawPeer.call(1, ECHO, new byte[1]));
            assertClosedWith(peer, HbtpCloseCode.PROTOCOL_ERROR, 1002);
        }
    }
}
