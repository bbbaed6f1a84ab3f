package dev.dxreactor.hbtp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {call, cancel} in a loop, and calls whose deadline passes at once: an answer of CANCELLED or
 * DEADLINE_EXCEEDED must not free the slot while the handler still runs, or the peer starts handlers without
 * bound. Blocking handlers are also bounded over all connections.
 */
class CancelFloodAttackTest {

    private static final int BLOCKING = 1;
    private static final int ASYNC = 2;
    private static final int MAX_IN_FLIGHT = 8;

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();
    private final ConcurrentLinkedQueue<CompletableFuture<io.netty.buffer.ByteBuf>> pendingStages =
            new ConcurrentLinkedQueue<>();
    private volatile boolean releasing;
    private HostileServer server;

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        releasing = true;
        // Answering a held call frees a slot, and the server then takes in the next call waiting unread:
        // answer until no call is held, so that nothing is left to the event loop as it stops.
        do {
            for (CompletableFuture<io.netty.buffer.ByteBuf> f; (f = pendingStages.poll()) != null; ) {
                f.complete(null);
            }
            Settle.value(started::get, 300);
        } while (!pendingStages.isEmpty());
        server.close();
    }

    private void serve(HbtpServerConfig.Builder config) throws InterruptedException {
        server = new HostileServer(config.router(new HbtpRouter()
                .routeBlocking(BLOCKING, call -> {
                    started.incrementAndGet();
                    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        running.decrementAndGet();
                    }
                    return null;
                })
                .routeAsync(ASYNC, call -> {
                    started.incrementAndGet();
                    if (releasing) {
                        return CompletableFuture.completedFuture(null);
                    }
                    CompletableFuture<io.netty.buffer.ByteBuf> never = new CompletableFuture<>();
                    pendingStages.add(never);
                    return never;
                }))
                .maxInFlight(MAX_IN_FLIGHT).idleTimeout(Duration.ZERO).build());
    }

    private static byte[] cancel(int sequence) {
        return RawPeer.frame(HbtpOpcode.CANCEL, HbtpFlags.FINAL, sequence, new byte[0]);
    }

    private static byte[] callWithDeadline(int sequence, int route) {
        byte[] key = HbtpMetadata.DEADLINE_MS.getBytes(StandardCharsets.US_ASCII);
        byte[] value = "1".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer body = ByteBuffer.allocate(2 + 1 + key.length + 2 + value.length + 2).order(ByteOrder.LITTLE_ENDIAN);
        body.putShort((short) 1).put((byte) key.length).put(key).putShort((short) value.length).put(value)
                .putShort((short) route);
        return RawPeer.frame(HbtpOpcode.RPC_CALL, HbtpFlags.FINAL | HbtpFlags.EXPECTS_RESPONSE | HbtpFlags.METADATA,
                sequence, body.array());
    }

    @Test
    void callThenCancelInALoopStartsNoMoreBlockingHandlersThanTheSlots() throws Exception {
        serve(HbtpServerConfig.builder());
        try (RawPeer peer = new RawPeer(server.address())) {
            peer.handshake(HbtpCapabilities.METADATA);
            Thread attacker = peer.sendInBackground(2_000,
                    i -> RawPeer.concat(RawPeer.call(i, BLOCKING, new byte[0]), cancel(i)));
            long handlers = Settle.value(started::get, 1000);
            assertThat(handlers).as("blocking handlers started").isLessThanOrEqualTo(MAX_IN_FLIGHT);
            assertThat(running.get()).isLessThanOrEqualTo(MAX_IN_FLIGHT);
            peer.close();
            attacker.join();
        }
    }

    @Test
    void deadlinesThatPassAtOnceStartNoMoreAsyncHandlersThanTheSlots() throws Exception {
        serve(HbtpServerConfig.builder());
        try (RawPeer peer = new RawPeer(server.address())) {
            peer.handshake(HbtpCapabilities.METADATA);
            Thread attacker = peer.sendInBackground(2_000, i -> callWithDeadline(i, ASYNC));
            long handlers = Settle.value(started::get, 1000);
            assertThat(handlers).as("async handlers started").isLessThanOrEqualTo(MAX_IN_FLIGHT);
            peer.close();
            attacker.join();
        }
    }

    @Test
    void aCancelledCallIsAnsweredAtOnceAndItsSlotComesBackWhenTheHandlerReturns() throws Exception {
        serve(HbtpServerConfig.builder());
        try (RawPeer peer = new RawPeer(server.address())) {
            peer.handshake(HbtpCapabilities.METADATA);
            for (int i = 0; i < MAX_IN_FLIGHT; i++) {
                peer.send(RawPeer.concat(RawPeer.call(i, ASYNC, new byte[0]), cancel(i)));
                RawPeer.Frame answer = peer.read();
                assertThat(answer.is(HbtpOpcode.RPC_ERROR)).isTrue();
                assertThat(answer.sequence()).isEqualTo(i);
            }
            // Every slot is held by a handler that has not returned: the next call waits unread.
            peer.send(RawPeer.call(100, ASYNC, new byte[0]));
            assertThat(Settle.value(started::get, MAX_IN_FLIGHT, 500)).isEqualTo(MAX_IN_FLIGHT);
            pendingStages.poll().complete(null);
            assertThat(Settle.value(started::get, MAX_IN_FLIGHT + 1, 500)).isEqualTo(MAX_IN_FLIGHT + 1);
        }
    }

    @Test
    void aConnectionThatFillsTheBlockingQueueCannotRefuseAnotherConnectionsCall() throws Exception {
        serve(HbtpServerConfig.builder().maxBlockingCalls(2).maxQueuedBlockingCalls(4));
        try (RawPeer flooder = new RawPeer(server.address()); RawPeer honest = new RawPeer(server.address())) {
            flooder.handshake(HbtpCapabilities.METADATA);
            honest.handshake(HbtpCapabilities.METADATA);
            for (int i = 0; i < MAX_IN_FLIGHT; i++) {
                flooder.send(RawPeer.call(i, BLOCKING, new byte[0]));
            }
            // Two run, four wait (the whole queue), two are refused.
            for (int i = 0; i < 2; i++) {
                assertThat(flooder.read().is(HbtpOpcode.RPC_ERROR)).isTrue();
            }
            // Both handlers have started (on threads of their own) and hold their slots.
            assertThat(Settle.value(started::get, 2, 300)).isEqualTo(2);
            honest.send(RawPeer.call(1, BLOCKING, new byte[0]));
            release.countDown();
            RawPeer.Frame answer = honest.read();
            assertThat(answer.is(HbtpOpcode.RPC_RESPONSE)).as("the other connection's call ran").isTrue();
            for (int i = 0; i < MAX_IN_FLIGHT - 2; i++) {
                assertThat(flooder.read().is(HbtpOpcode.RPC_RESPONSE)).isTrue();
            }
            assertThat(mostRunning.get()).isEqualTo(2);
        }
    }

    @Test
    void blockingHandlersAreBoundedOverAllConnectionsAndTheQueueBeyondIsRefused() throws Exception {
        serve(HbtpServerConfig.builder().maxBlockingCalls(3).maxQueuedBlockingCalls(2));
        try (RawPeer a = new RawPeer(server.address()); RawPeer b = new RawPeer(server.address())) {
            a.handshake(HbtpCapabilities.METADATA);
            b.handshake(HbtpCapabilities.METADATA);
            for (int i = 0; i < 4; i++) {
                a.send(RawPeer.call(i, BLOCKING, new byte[0]));
            }
            assertThat(Settle.value(started::get, 3, 500)).isEqualTo(3);
            b.send(RawPeer.call(0, BLOCKING, new byte[0]));
            b.send(RawPeer.call(1, BLOCKING, new byte[0]));
            RawPeer.Frame refused = b.read();
            assertThat(refused.is(HbtpOpcode.RPC_ERROR)).isTrue();
            assertThat(refused.sequence()).isEqualTo(1);
            assertThat(ByteBuffer.wrap(refused.payload()).order(ByteOrder.LITTLE_ENDIAN).getShort(0))
                    .isEqualTo((short) HbtpStatus.RESOURCE_EXHAUSTED);
            assertThat(mostRunning.get()).isEqualTo(3);

            release.countDown();
            for (int i = 0; i < 4; i++) {
                assertThat(a.read().is(HbtpOpcode.RPC_RESPONSE)).isTrue();
            }
            assertThat(b.read().is(HbtpOpcode.RPC_RESPONSE)).isTrue();
            assertThat(started.get()).isEqualTo(5);
            assertThat(mostRunning.get()).isEqualTo(3);
        }
    }
}
