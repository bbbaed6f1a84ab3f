package dev.dxreactor.hbtp;

import com.github.luben.zstd.Zstd;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * zstd bombs: a few hundred bytes on the wire that inflate to megabytes, sent to a route that keeps its
 * request while the call is in flight. Each message stays within the message length, so only the bound on
 * the bytes a connection's calls hold keeps the server from holding megabytes times {@code maxInFlight}.
 */
class CompressionBombAttackTest {

    private static final int HOLDS = 1;
    private static final int INFLATED = 1 << 20;
    private static final int MAX_IN_FLIGHT_BYTES = 4 << 20;

    private final AtomicInteger started = new AtomicInteger();
    private final ConcurrentLinkedQueue<CompletableFuture<ByteBuf>> held = new ConcurrentLinkedQueue<>();
    private volatile boolean releasing;
    private HostileServer server;

    @AfterEach
    void stop() throws InterruptedException {
        releasing = true;
        // Answering a held call frees room, and the server then takes in the next call waiting unread:
        // answer until no call is held, so that nothing is left to the event loop as it stops.
        do {
            for (CompletableFuture<ByteBuf> f; (f = held.poll()) != null; ) {
                f.complete(null);
            }
            Settle.value(started::get, 300);
        } while (!held.isEmpty());
        server.close();
    }

    private void serve() throws InterruptedException {
        server = new HostileServer(HbtpServerConfig.builder().router(new HbtpRouter().routeAsync(HOLDS, call -> {
                    started.incrementAndGet();
                    if (releasing) {
                        return CompletableFuture.completedFuture(null);
                    }
                    CompletableFuture<ByteBuf> later = new CompletableFuture<>();
                    held.add(later);
                    return later;
                }))
                .maxInFlightBytes(MAX_IN_FLIGHT_BYTES).compressionThreshold(512).idleTimeout(Duration.ZERO).build());
    }

    /** An RPC_CALL whose body (route and {@code inflated - 2} zero bytes) is one zstd frame. */
    private static byte[] bomb(int sequence, int inflated) {
        byte[] body = new byte[inflated];
        ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).putShort((short) HOLDS);
        return RawPeer.frame(HbtpOpcode.RPC_CALL, HbtpFlags.FINAL | HbtpFlags.EXPECTS_RESPONSE
                | HbtpFlags.COMPRESSED, sequence, Zstd.compress(body));
    }

    @Test
    void bombsHeldInFlightAreBoundedByMaxInFlightBytes() throws Exception {
        serve();
        byte[] one = bomb(0, INFLATED);
        assertThat(one.length).as("wire bytes of one bomb").isLessThan(1024);
        try (RawPeer peer = new RawPeer(server.address())) {
            peer.handshake(HbtpCapabilities.METADATA | HbtpCapabilities.ZSTD);
            Thread attacker = peer.sendInBackground(1_000, i -> bomb(i, INFLATED));
            long calls = Settle.value(started::get, 1000);
            // Reading stops once the bytes held reach the bound: at most one message beyond it.
            assertThat(calls).as("calls taken in").isLessThanOrEqualTo(MAX_IN_FLIGHT_BYTES / INFLATED + 1);
            assertThat(server.bytesHeld()).as("bytes held for the calls")
                    .isLessThanOrEqualTo(MAX_IN_FLIGHT_BYTES + (8L << 20));

            held.poll().complete(null);
            assertThat(Settle.value(started::get, calls + 1, 500)).as("one call finished, one more taken in")
                    .isEqualTo(calls + 1);
            peer.close();
            attacker.join();
        }
    }

    @Test
    void aSingleBombLargerThanMaxInFlightBytesClosesWith1009() throws Exception {
        serve();
        try (RawPeer peer = new RawPeer(server.address())) {
            RawPeer.Frame ack = peer.handshake(HbtpCapabilities.METADATA | HbtpCapabilities.ZSTD);
            assertThat(HbtpHello.read(io.netty.buffer.Unpooled.wrappedBuffer(ack.payload())).maxMessageLength())
                    .as("the message length advertised").isEqualTo(MAX_IN_FLIGHT_BYTES);
            peer.send(bomb(1, MAX_IN_FLIGHT_BYTES + 1));
            assertThat(peer.readUntilClose().closeCode()).isEqualTo(HbtpCloseCode.TOO_LARGE);
        }
        assertThat(started).hasValue(0);
    }
}
