package dev.dxreactor.hbtp;

import com.github.luben.zstd.Zstd;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two honest clients keep calling, every answer checked, while fifty hostile connections run every attack
 * family in a loop: smuggled frames behind a fragmented HELLO, peers that never read, call-then-cancel
 * floods, zstd bombs, slow frames, garbage, connection churn. The honest clients must see no error, and the
 * bytes the server's allocator holds must stay under a stated bound. Off by default:
 * {@code mvn -B -pl codec-hbtp verify -Psoak} (see the module README), {@code -Ddx.soak.seconds} to change
 * the 60 s.
 */
@Tag("soak")
class HostileSoakTest {

    private static final Duration RUN = Duration.ofSeconds(Long.getLong("dx.soak.seconds", 60));
    private static final int HOSTILE_CONNECTIONS = 50;
    /** What the server's allocator may hold at any moment of the run, over all connections. */
    private static final long SERVER_BYTES_BOUND = 256L << 20;

    private static final int ECHO = 1;
    private static final int ASYNC_ECHO = 2;
    private static final int BLOCKING_ECHO = 3;
    private static final int BIG = 4;
    private static final int HOLD = 5;
    private static final int BIG_ANSWER = 64 * 1024;

    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong honestCalls = new AtomicLong();
    private final AtomicLong honestErrors = new AtomicLong();
    private final AtomicLong attacks = new AtomicLong();
    private final java.util.Queue<Long> honestMicros = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile long endAt;

    private HbtpServerConfig config() {
        HbtpRouter router = new HbtpRouter()
                .route(ECHO, call -> call.payload().retain())
                .routeAsync(ASYNC_ECHO, call -> {
                    ByteBuf copy = call.alloc().buffer(call.payload().readableBytes()).writeBytes(call.payload(),
                            call.payload().readerIndex(), call.payload().readableBytes());
                    CompletableFuture<ByteBuf> answer = new CompletableFuture<>();
                    later.schedule(() -> answer.complete(copy), 1, TimeUnit.MILLISECONDS);
                    return answer;
                })
                .routeBlocking(BLOCKING_ECHO, call -> call.payload().retain())
                .route(BIG, call -> call.alloc().directBuffer(BIG_ANSWER).writeZero(BIG_ANSWER))
                .routeAsync(HOLD, call -> {
                    CompletableFuture<ByteBuf> answer = new CompletableFuture<>();
                    later.schedule(() -> answer.complete(null), 200, TimeUnit.MILLISECONDS);
                    return answer;
                });
        return HbtpServerConfig.builder().router(router).maxInFlight(64).maxInFlightBytes(4 << 20)
                .maxBlockingCalls(32).maxQueuedBlockingCalls(64).frameTimeout(Duration.ofSeconds(2))
                .maxConnections(200).compressionThreshold(512).build();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void honestClientsSeeNoErrorWhileFiftyHostileConnectionsAttackAndTheServerHoldsABoundedAmount()
            throws Exception {
        try (HostileServer server = new HostileServer(config())) {
            List<HbtpClient> honest = List.of(
                    HbtpClient.connect(server.address(), HbtpClientConfig.builder().compressionThreshold(512).build()),
                    HbtpClient.connect(server.address(), HbtpClientConfig.builder().build()));
            endAt = System.nanoTime() + RUN.toNanos();
            AtomicLong mostServerBytes = new AtomicLong();
            AtomicLong mostHeap = new AtomicLong();
            Thread sampler = Thread.ofPlatform().start(() -> sample(server, mostServerBytes, mostHeap));
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < honest.size(); i++) {
                HbtpClient client = honest.get(i);
                long seed = i;
                threads.add(Thread.ofPlatform().start(() -> callHonestly(client, seed)));
            }
            for (int i = 0; i < HOSTILE_CONNECTIONS; i++) {
                int attack = i % 7;
                long seed = 1000 + i;
                threads.add(Thread.ofVirtual().start(() -> attackUntilTheEnd(server, attack, seed)));
            }
            for (Thread t : threads) {
                t.join();
            }
            sampler.join();
            honest.forEach(HbtpClient::close);
            long settled = Settle.value(server::bytesHeld, 500);

            long[] micros = honestMicros.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("soak: %d s, %d honest calls (latency p50 %.1f ms, p99 %.1f ms, max %.1f ms),"
                            + " %d honest errors, %d attacks by %d hostile connections, server allocator at most"
                            + " %.1f MiB (after the run %.1f MiB), JVM heap at most %.1f MiB%n",
                    RUN.toSeconds(), honestCalls.get(), percentile(micros, 0.50) / 1000.0,
                    percentile(micros, 0.99) / 1000.0, percentile(micros, 1.0) / 1000.0, honestErrors.get(),
                    attacks.get(), HOSTILE_CONNECTIONS, mostServerBytes.get() / 1048576.0, settled / 1048576.0,
                    mostHeap.get() / 1048576.0);
            assertThat(honestErrors).hasValue(0);
            assertThat(honestCalls.get()).isGreaterThan(100);
            assertThat(attacks.get()).isGreaterThan(HOSTILE_CONNECTIONS);
            assertThat(mostServerBytes.get()).isLessThanOrEqualTo(SERVER_BYTES_BOUND);
        } finally {
            later.shutdownNow();
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    private boolean running() {
        return System.nanoTime() - endAt < 0;
    }

    private void sample(HostileServer server, AtomicLong mostServerBytes, AtomicLong mostHeap) {
        Runtime runtime = Runtime.getRuntime();
        while (running()) {
            mostServerBytes.accumulateAndGet(server.bytesHeld(), Math::max);
            mostHeap.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void callHonestly(HbtpClient client, long seed) {
        Random random = new Random(seed);
        int[] routes = {ECHO, ASYNC_ECHO, BLOCKING_ECHO};
        while (running()) {
            byte[] request = new byte[random.nextInt(4096)];
            random.nextBytes(request);
            long start = System.nanoTime();
            try {
                ByteBuf answer = client.call(routes[random.nextInt(routes.length)], Unpooled.wrappedBuffer(request))
                        .get(60, TimeUnit.SECONDS);
                try {
                    if (!Arrays.equals(ByteBufUtil.getBytes(answer), request)) {
                        honestErrors.incrementAndGet();
                    }
                } finally {
                    answer.release();
                }
                honestCalls.incrementAndGet();
                honestMicros.add((System.nanoTime() - start) / 1000);
            } catch (Exception e) {
                honestErrors.incrementAndGet();
                System.out.println("soak: honest call failed: " + e);
            }
        }
    }

    private void attackUntilTheEnd(HostileServer server, int attack, long seed) {
        Random random = new Random(seed);
        while (running()) {
            try (RawPeer peer = new RawPeer(server.address(), 4096)) {
                attacks.incrementAndGet();
                switch (attack) {
                    case 0 -> smuggleBehindAFragmentedHello(peer);
                    case 1 -> neverRead(peer);
                    case 2 -> callAndCancel(peer);
                    case 3 -> bombs(peer);
                    case 4 -> slowFrame(peer);
                    case 5 -> garbage(peer, random);
                    default -> peer.handshake(HbtpCapabilities.METADATA);
                }
            } catch (IOException | AssertionError e) {
                // The server hung up on the attacker: the point of the exercise.
            }
        }
    }

    private static void smuggleBehindAFragmentedHello(RawPeer peer) throws IOException {
        byte[] hello = RawPeer.helloBody(HbtpCapabilities.METADATA);
        peer.send(RawPeer.concat(RawPeer.frame(HbtpOpcode.HELLO, 0, 0, Arrays.copyOf(hello, 4)),
                RawPeer.frame(HbtpOpcode.HELLO, HbtpFlags.FINAL, 0, Arrays.copyOfRange(hello, 4, hello.length)),
                RawPeer.call(1, ECHO, new byte[8])));
        peer.closedByServer();
    }

    private void neverRead(RawPeer peer) throws IOException {
        peer.handshake(HbtpCapabilities.METADATA);
        long until = System.nanoTime() + 5_000_000_000L;
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 20_000 && running() && System.nanoTime() - until < 0; i++) {
                    peer.send(RawPeer.call(i & 0xFFFF, BIG, new byte[0]));
                }
            } catch (IOException e) {
                // Closed below, or by the server.
            }
        });
        sleepUntil(until);
        peer.close();
        join(writer);
    }

    private static void callAndCancel(RawPeer peer) throws IOException {
        peer.handshake(HbtpCapabilities.METADATA);
        for (int i = 0; i < 500; i++) {
            peer.send(RawPeer.concat(RawPeer.call(i, i % 2 == 0 ? HOLD : BLOCKING_ECHO, new byte[16]),
                    RawPeer.frame(HbtpOpcode.CANCEL, HbtpFlags.FINAL, i, new byte[0])));
        }
    }

    private static void bombs(RawPeer peer) throws IOException {
        peer.handshake(HbtpCapabilities.METADATA | HbtpCapabilities.ZSTD);
        byte[] body = new byte[1 << 20];
        ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).putShort((short) HOLD);
        byte[] compressed = Zstd.compress(body);
        for (int i = 0; i < 100; i++) {
            peer.send(RawPeer.frame(HbtpOpcode.RPC_CALL, HbtpFlags.FINAL | HbtpFlags.EXPECTS_RESPONSE
                    | HbtpFlags.COMPRESSED, i, compressed));
        }
    }

    private static void slowFrame(RawPeer peer) throws IOException {
        peer.handshake(HbtpCapabilities.METADATA);
        peer.send(Arrays.copyOf(RawPeer.call(1, ECHO, new byte[100_000]), 500));
        peer.readUntilClose();
    }

    private static void garbage(RawPeer peer, Random random) throws IOException {
        peer.handshake(HbtpCapabilities.METADATA);
        byte[] bytes = new byte[1 + random.nextInt(4096)];
        random.nextBytes(bytes);
        peer.send(bytes);
        peer.closedByServer();
    }

    private void sleepUntil(long nanoTime) {
        try {
            while (running() && System.nanoTime() - nanoTime < 0) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
