package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A server that goes away: running calls are answered, new ones refused, then CLOSE with the code given. */
class HbtpGoAwayTest {

    private static final int ECHO = 1;
    private static final int HELD = 2;

    private final AtomicReference<HbtpServerSession> session = new AtomicReference<>();
    private final CompletableFuture<ByteBuf> held = new CompletableFuture<>();
    /** Counted down when the server runs the held call: goAway must find it running. */
    private final CountDownLatch heldRunning = new CountDownLatch(1);
    private LoopbackServer server;

    private void start() throws InterruptedException {
        HbtpRouter router = new HbtpRouter()
                .route(ECHO, call -> call.payload().retain())
                .routeAsync(HELD, call -> {
                    heldRunning.countDown();
                    return held;
                });
        server = new LoopbackServer(HbtpServerConfig.builder().router(router).onSession(session::set).build());
    }

    @AfterEach
    void stop() {
        held.complete(Unpooled.EMPTY_BUFFER);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theRunningCallIsAnsweredNewCallsAreRefusedThenCloseCarriesTheCode() throws Exception {
        start();
        try (RawPeer peer = new RawPeer(server.address())) {
            peer.handshake(0);
            peer.send(RawPeer.call(1, HELD, "slow".getBytes(StandardCharsets.UTF_8)));
            assertThat(heldRunning.await(10, TimeUnit.SECONDS)).as("the held call runs").isTrue();

            session.get().goAway(HbtpCloseCode.GOING_AWAY, "server shutting down");
            // goAway runs as a task of the connection's loop: the late call must not overtake it.
            session.get().channel().eventLoop().submit(() -> { }).sync();
            peer.send(RawPeer.call(2, ECHO, "late".getBytes(StandardCharsets.UTF_8)));
            RawPeer.Frame refused = peer.read();
            assertThat(refused.is(HbtpOpcode.RPC_ERROR)).isTrue();
            assertThat(refused.sequence()).isEqualTo(2);
            assertThat(status(refused)).isEqualTo(HbtpStatus.UNAVAILABLE);

            held.complete(Unpooled.copiedBuffer("done", StandardCharsets.UTF_8));
            RawPeer.Frame answer = peer.read();
            assertThat(answer.is(HbtpOpcode.RPC_RESPONSE)).isTrue();
            assertThat(answer.sequence()).isEqualTo(1);
            assertThat(new String(answer.payload(), StandardCharsets.UTF_8)).isEqualTo("done");

            RawPeer.Frame close = peer.read();
            assertThat(close.is(HbtpOpcode.CLOSE)).isTrue();
            assertThat(close.closeCode()).isEqualTo(HbtpCloseCode.GOING_AWAY);
            assertThat(close.closeReason()).isEqualTo("server shutting down");
            peer.send(RawPeer.frame(HbtpOpcode.CLOSE, HbtpFlags.FINAL, 0, new byte[] {(byte) 0xE8, 0x03}));
            assertThat(peer.closedByServer()).isTrue();
        }
    }

    @Test
    void anIdleConnectionIsSentCloseAtOnce() throws Exception {
        start();
        try (RawPeer peer = new RawPeer(server.address())) {
            peer.handshake(0);
            peer.send(RawPeer.call(1, ECHO, new byte[] {7}));
            assertThat(peer.read().is(HbtpOpcode.RPC_RESPONSE)).isTrue();

            session.get().goAway(HbtpCloseCode.GOING_AWAY, "bye");
            RawPeer.Frame close = peer.read();
            assertThat(close.is(HbtpOpcode.CLOSE)).isTrue();
            assertThat(close.closeCode()).isEqualTo(HbtpCloseCode.GOING_AWAY);
        }
    }

    @Test
    void theJavaClientSeesTheServerGoAwayAfterItsCallIsAnswered() throws Exception {
        start();
        try (HbtpClient client = HbtpClient.connect(server.address(), HbtpClientConfig.builder().build())) {
            HbtpCallFuture running = client.call(HELD, Unpooled.EMPTY_BUFFER);
            assertThat(heldRunning.await(10, TimeUnit.SECONDS)).as("the held call runs").isTrue();
            session.get().goAway(HbtpCloseCode.GOING_AWAY, "server shutting down");
            held.complete(Unpooled.copiedBuffer("done", StandardCharsets.UTF_8));
            ByteBuf body = running.get();
            try {
                assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo("done");
            } finally {
                body.release();
            }
            LoopbackServer.await("the client saw the close", () -> !client.isOpen());
        }
    }

    private static int status(RawPeer.Frame error) {
        return ByteBuffer.wrap(error.payload()).order(ByteOrder.LITTLE_ENDIAN).getShort(0) & 0xFFFF;
    }
}
