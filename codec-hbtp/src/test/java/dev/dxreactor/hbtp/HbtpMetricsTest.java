package dev.dxreactor.hbtp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.dxreactor.hbtp.LoopbackServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The meters of a server and a client after real calls over loopback. */
class HbtpMetricsTest {

    private static final int ECHO = 1;
    private static final int EXHAUSTED = 2;
    private static final int BLOCKING = 3;

    private final SimpleMeterRegistry serverRegistry = new SimpleMeterRegistry();
    private final SimpleMeterRegistry clientRegistry = new SimpleMeterRegistry();
    private final CountDownLatch blockingRelease = new CountDownLatch(1);
    private final CountDownLatch blockingEntered = new CountDownLatch(1);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private HbtpTopics topics;

    @AfterEach
    void stop() throws Exception {
        blockingRelease.countDown();
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private LoopbackServer server(HbtpServerConfig.Builder config) throws InterruptedException {
        topics = new HbtpTopics();
        HbtpRouter router = new HbtpRouter()
                .route(ECHO, call -> call.payload().retain())
                .route(EXHAUSTED, call -> {
                    throw new HbtpRpcException(HbtpStatus.RESOURCE_EXHAUSTED, "busy");
                })
                .routeBlocking(BLOCKING, call -> {
                    blockingEntered.countDown();
                    blockingRelease.await();
                    return Unpooled.EMPTY_BUFFER;
                });
        LoopbackServer server = new LoopbackServer(config.router(router).topics(topics).build());
        resources.add(server);
        return server;
    }

    private HbtpClient client(LoopbackServer server, HbtpClientConfig.Builder config) {
        HbtpClient client = HbtpClient.connect(server.address(), config.build());
        resources.add(client);
        return client;
    }

    @Test
    void callsFramesBytesAndGaugesOfServerAndClient() throws Exception {
        LoopbackServer server = server(HbtpServerConfig.builder().meterRegistry(serverRegistry, "server", "test"));
        HbtpClient client = client(server, HbtpClientConfig.builder().meterRegistry(clientRegistry));

        for (int i = 0; i < 3; i++) {
            client.call(ECHO, utf8("hello " + i)).get(10, TimeUnit.SECONDS).release();
        }
        assertThatThrownBy(() -> client.call(EXHAUSTED, utf8("x")).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(HbtpRpcException.class);
        assertThatThrownBy(() -> client.call(99, utf8("x")).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(HbtpRpcException.class);

        Timer echo = serverRegistry.get("hbtp.server.calls")
                .tags("route", "1", "status", "OK", "server", "test").timer();
        assertThat(echo.count()).isEqualTo(3);
        assertThat(serverRegistry.get("hbtp.server.calls").tags("route", "2", "status", "RESOURCE_EXHAUSTED")
                .timer().count()).isEqualTo(1);
        assertThat(serverRegistry.get("hbtp.server.calls").tags("route", "unknown", "status", "UNKNOWN_ROUTE")
                .timer().count()).isEqualTo(1);
        HistogramSnapshot snapshot = echo.takeSnapshot();
        // The histogram buckets themselves show only in registries that aggregate percentiles (Prometheus).
        assertThat(snapshot.percentileValues()).extracting(v -> v.percentile()).containsExactly(0.5, 0.99);

        assertThat(clientRegistry.get("hbtp.client.calls").tags("route", "1", "status", "OK").timer().count())
                .isEqualTo(3);
        assertThat(clientRegistry.get("hbtp.client.calls").tags("route", "2", "status", "RESOURCE_EXHAUSTED")
                .timer().count()).isEqualTo(1);
        assertThat(clientRegistry.get("hbtp.client.calls").tags("route", "99", "status", "UNKNOWN_ROUTE")
                .timer().count()).isEqualTo(1);

        // HELLO and five calls in; HELLO_ACK and five answers out, at least.
        assertThat(count(serverRegistry, "hbtp.server.frames", "in")).isGreaterThanOrEqualTo(6);
        assertThat(count(serverRegistry, "hbtp.server.frames", "out")).isGreaterThanOrEqualTo(6);
        assertThat(count(clientRegistry, "hbtp.client.frames", "out"))
                .isEqualTo(count(serverRegistry, "hbtp.server.frames", "in"));
        await("client bytes in match server bytes out", () -> count(clientRegistry, "hbtp.client.bytes", "in")
                == count(serverRegistry, "hbtp.server.bytes", "out"));
        assertThat(count(clientRegistry, "hbtp.client.bytes", "out"))
                .isEqualTo(count(serverRegistry, "hbtp.server.bytes", "in")).isGreaterThan(6 * HbtpHeader.SIZE);

        assertThat(gauge(serverRegistry, "hbtp.server.connections")).isEqualTo(1);
        assertThat(gauge(serverRegistry, "hbtp.server.calls.in.flight")).isZero();
        assertThat(gauge(clientRegistry, "hbtp.client.calls.in.flight")).isZero();

        // A blocking call held open: in flight on both sides and running on the offload executor.
        HbtpCallFuture blocked = client.call(BLOCKING, utf8("wait"));
        assertThat(blockingEntered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(gauge(serverRegistry, "hbtp.server.calls.in.flight")).isEqualTo(1);
        assertThat(gauge(serverRegistry, "hbtp.server.blocking.running")).isEqualTo(1);
        assertThat(gauge(serverRegistry, "hbtp.server.blocking.queued")).isZero();
        assertThat(gauge(clientRegistry, "hbtp.client.calls.in.flight")).isEqualTo(1);
        blockingRelease.countDown();
        blocked.get(10, TimeUnit.SECONDS).release();
        await("blocking call ended", () -> gauge(serverRegistry, "hbtp.server.blocking.running") == 0);

        client.subscribe(5, new HbtpTopicListener() {
            @Override
            public void onSync(int topic, long version, ByteBuf state) {
            }

            @Override
            public void onDelta(int topic, long baseVersion, long version, ByteBuf delta) {
            }
        });
        await("subscribed", () -> gauge(serverRegistry, "hbtp.server.topic.subscribers") == 1);

        client.close();
        await("server saw the close", () -> gauge(serverRegistry, "hbtp.server.connections") == 0);
        assertThat(gauge(serverRegistry, "hbtp.server.topic.subscribers")).isZero();
        assertThat(gauge(serverRegistry, "hbtp.server.calls.in.flight")).isZero();
        assertThat(gauge(clientRegistry, "hbtp.client.calls.in.flight")).isZero();
        await("close counted", () -> serverRegistry.find("hbtp.server.closes").counter() != null);
        assertThat(serverRegistry.get("hbtp.server.closes").tags("code", "1000", "by", "client").counter().count())
                .isEqualTo(1);
        await("client close counted", () -> clientRegistry.find("hbtp.client.closes").counter() != null);
        assertThat(clientRegistry.get("hbtp.client.closes").tags("code", "1000", "by", "client").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aServerClosingForAProtocolErrorIsCountedByCode() throws Exception {
        LoopbackServer server = server(HbtpServerConfig.builder().meterRegistry(serverRegistry));
        try (RawPeer peer = new RawPeer(server.address())) {
            peer.handshake(0);
            peer.send(HbtpEndToEndTest.frame(0x7E, 0x08, 1, new byte[0])); // unknown opcode: 1003
            assertThat(peer.readUntilClose().closeCode()).isEqualTo(HbtpCloseCode.UNSUPPORTED);
        }
        await("close counted", () -> serverRegistry.find("hbtp.server.closes").tags("code", "1003").counter() != null);
        assertThat(serverRegistry.get("hbtp.server.closes").tags("code", "1003", "by", "server").counter().count())
                .isEqualTo(1);
        await("connection gone", () -> gauge(serverRegistry, "hbtp.server.connections") == 0);
    }

    @Test
    void withoutARegistryNoMeterIsMadeAndNoHandlerAdded() throws Exception {
        LoopbackServer server = server(HbtpServerConfig.builder());
        HbtpClient client = client(server, HbtpClientConfig.builder());
        client.call(ECHO, utf8("x")).get(10, TimeUnit.SECONDS).release();

        assertThat(client.channel().pipeline().get("hbtp-metrics")).isNull();
        assertThat(Metrics.globalRegistry.getMeters()).extracting(Meter::getId)
                .noneMatch(id -> id.getName().startsWith("hbtp."));
        assertThat(serverRegistry.getMeters()).isEmpty();
        assertThat(clientRegistry.getMeters()).isEmpty();
    }

    @Test
    void tagsMustComeInPairs() {
        assertThatThrownBy(() -> HbtpServerConfig.builder().meterRegistry(serverRegistry, "server").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key, value pairs");
        assertThatThrownBy(() -> HbtpClientConfig.builder().meterRegistry(clientRegistry, "a", "b", "c").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key, value pairs");
    }

    private static double count(MeterRegistry registry, String name, String direction) {
        Counter counter = registry.get(name).tag("direction", direction).counter();
        return counter.count();
    }

    private static double gauge(MeterRegistry registry, String name) {
        Gauge gauge = registry.get(name).gauge();
        return gauge.value();
    }

    private static ByteBuf utf8(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
