package dev.dxreactor.hbtp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer that sends small calls for large answers and never reads them. The server must stop reading from
 * it and hold a bounded number of bytes, measured with the server's own allocator, not grow its outbound
 * buffer with every 12 bytes the peer sends.
 */
class BackpressureAttackTest {

    private static final int BIG = 1;
    private static final int ANSWER_BYTES = 64 * 1024;
    private static final int CALLS = 20_000;

    private final AtomicLong answered = new AtomicLong();
    private HostileServer server;

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    private HostileServer serve(HbtpServerConfig.Builder config) throws InterruptedException {
        server = new HostileServer(config.router(new HbtpRouter().route(BIG, call -> {
            answered.incrementAndGet();
            return call.alloc().directBuffer(ANSWER_BYTES).writeZero(ANSWER_BYTES);
        })).idleTimeout(java.time.Duration.ZERO).build());
        return server;
    }

    @Test
    void aPeerThatNeverReadsStopsBeingReadAndTheServerHoldsABoundedAmount() throws Exception {
        serve(HbtpServerConfig.builder().maxInFlight(65_535));
        try (RawPeer peer = new RawPeer(server.address(), 4096)) {
            peer.handshake(HbtpCapabilities.METADATA);
            Thread sender = peer.sendInBackground(CALLS, i -> RawPeer.call(i & 0xFFFF, BIG, new byte[0]));

            long runs = Settle.value(answered::get, 1000);
            long held = server.bytesHeld();

            assertThat(runs).as("calls answered before the server stopped reading").isLessThan(CALLS / 4);
            // One 4 MiB pool chunk for the answers queued up to the high-water mark and the read buffers,
            // one more at most for a chunk boundary: what a peer that does not read can pin.
            assertThat(held).as("bytes the server holds for a peer that does not read").isLessThanOrEqualTo(8L << 20);
            peer.close();
            sender.join();
        }
    }

    @Test
    void aPeerThatReadsGetsEveryAnswerInOrderThroughThePauses() throws Exception {
        serve(HbtpServerConfig.builder().maxInFlight(65_535));
        try (RawPeer peer = new RawPeer(server.address(), 4096)) {
            peer.handshake(HbtpCapabilities.METADATA);
            int calls = 3_000;
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < calls; i++) {
                        peer.send(RawPeer.call(i, BIG, new byte[0]));
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            for (int i = 0; i < calls; i++) {
                RawPeer.Frame answer = peer.read();
                assertThat(answer).isNotNull();
                assertThat(answer.is(HbtpOpcode.RPC_RESPONSE)).isTrue();
                assertThat(answer.sequence()).isEqualTo(i);
                assertThat(answer.payload()).hasSize(ANSWER_BYTES);
            }
            sender.join();
        }
    }

    /**
     * Honest traffic that fills both directions at once: large calls written faster than the server reads
     * them, large answers coming back. If the client also stopped reading while its own output is stuck,
     * each end would wait for the other to read: the client must keep reading answers.
     */
    @Test
    void largeCallsAndAnswersBothWaysAtOnceNeverStall() throws Exception {
        server = new HostileServer(HbtpServerConfig.builder().router(new HbtpRouter()
                .route(BIG, call -> call.payload().retain())).idleTimeout(java.time.Duration.ZERO).build());
        try (HbtpClient client = HbtpClient.connect(server.address(), HbtpClientConfig.builder()
                .callTimeout(java.time.Duration.ofSeconds(60)).build())) {
            byte[] request = new byte[512 * 1024];
            new java.util.Random(7).nextBytes(request);
            List<HbtpCallFuture> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                calls.add(client.call(BIG, io.netty.buffer.Unpooled.wrappedBuffer(request)));
            }
            for (HbtpCallFuture call : calls) {
                io.netty.buffer.ByteBuf answer = call.get();
                try {
                    assertThat(io.netty.buffer.ByteBufUtil.getBytes(answer)).isEqualTo(request);
                } finally {
                    answer.release();
                }
            }
        }
    }

    @Test
    void eventsThatPileUpForAPeerThatDoesNotReadCloseItWith1009() throws Exception {
        java.util.concurrent.CompletableFuture<HbtpServerSession> session = new java.util.concurrent.CompletableFuture<>();
        serve(HbtpServerConfig.builder().maxOutboundBytes(1 << 20).onSession(session::complete));
        try (RawPeer peer = new RawPeer(server.address(), 4096)) {
            peer.handshake(HbtpCapabilities.METADATA);
            HbtpServerSession s = session.get(10, java.util.concurrent.TimeUnit.SECONDS);
            for (int i = 0; i < 2_000 && s.isOpen(); i++) {
                s.sendEvent(7, server.alloc.directBuffer(ANSWER_BYTES).writeZero(ANSWER_BYTES));
            }
            assertThat(Settle.value(server::bytesHeld, 500)).isLessThanOrEqualTo(8L << 20);
            // The CLOSE sits behind the bytes the peer would not read, so the peer may see the end of the
            // stream without it: what counts is that the server let go of the connection.
            assertThat(s.isOpen()).isFalse();
            assertThat(peer.closedByServer()).isTrue();
        }
    }
}
