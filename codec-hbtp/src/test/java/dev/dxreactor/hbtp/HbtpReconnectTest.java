package dev.dxreactor.hbtp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.dxreactor.hbtp.LoopbackServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A client with a reconnect policy against a server that goes away and comes back. */
class HbtpReconnectTest {

    private static final int ECHO = 1;
    private static final int TOPIC = 3;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<String> updates = new CopyOnWriteArrayList<>();
    private final HbtpTopicListener listener = new HbtpTopicListener() {
        @Override
        public void onSync(int topic, long version, ByteBuf state) {
            updates.add("sync " + version + " " + state.toString(StandardCharsets.UTF_8));
        }

        @Override
        public void onDelta(int topic, long baseVersion, long version, ByteBuf delta) {
            updates.add("delta " + baseVersion + "->" + version + " " + delta.toString(StandardCharsets.UTF_8));
        }
    };

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private static HbtpServerConfig.Builder server(HbtpTopics topics, AtomicReference<HbtpServerSession> session) {
        return HbtpServerConfig.builder()
                .router(new HbtpRouter().route(ECHO, call -> call.payload().retain()))
                .topics(topics)
                .onSession(session::set);
    }

    @Test
    void aServerRestartedOnTheSamePortIsReconnectedToAndTheSubscriptionResumes() throws Exception {
        AtomicReference<HbtpServerSession> session = new AtomicReference<>();
        HbtpTopics before = new HbtpTopics();
        before.publish(TOPIC, utf8("first"));
        before.publishDelta(TOPIC, utf8("+a"));
        LoopbackServer server = new LoopbackServer(server(before, session).build());
        int port = server.address().getPort();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HbtpClient client = HbtpClient.connect(server.address(), HbtpClientConfig.builder()
                .reconnect(ReconnectPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(200)))
                .meterRegistry(registry)
                .build());
        resources.add(client);
        client.subscribe(TOPIC, listener);
        await("the first state", () -> updates.contains("sync 2 first+a") || updates.size() >= 2);
        assertThat(echo(client, "before")).isEqualTo("before");

        server.close();
        await("the client noticed", () -> !client.isOpen());

        // Disconnected: a call fails at once, and says why.
        Throwable failure = catchThrowable(() -> client.call(ECHO, utf8("during")).get(10, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(HbtpException.class);
        HbtpException unavailable = (HbtpException) failure.getCause();
        assertThat(unavailable.category()).isEqualTo(HbtpErrorCategory.UNAVAILABLE);
        assertThat(unavailable.retryable()).isTrue();

        // The server comes back on the same port with a new state of the topic.
        HbtpTopics after = new HbtpTopics();
        after.publish(TOPIC, utf8("second"));
        LoopbackServer restarted = new LoopbackServer(server(after, session).build(), port);
        resources.add(restarted);

        await("reconnected", () -> client.isOpen() && registry.get("hbtp.client.reconnects").counter().count() == 1);
        await("the subscription resumed with the new server's state", () -> updates.contains("sync 1 second"));
        assertThat(echo(client, "after")).isEqualTo("after");
        await("subscribed again on the new server", () -> after.subscriberCount(TOPIC) == 1);
        after.publishDelta(TOPIC, utf8("+b"));
        await("a delta on the new connection", () -> updates.contains("delta 1->2 +b"));
    }

    @Test
    void aLostConnectionResumesTheSubscriptionFromTheVersionHeld() throws Exception {
        AtomicReference<HbtpServerSession> session = new AtomicReference<>();
        HbtpTopics topics = new HbtpTopics();
        topics.publish(TOPIC, utf8("s"));
        LoopbackServer server = new LoopbackServer(server(topics, session).build());
        resources.add(server);
        HbtpClient client = HbtpClient.connect(server.address(), HbtpClientConfig.builder()
                .reconnect(ReconnectPolicy.exponential(Duration.ofMillis(300), Duration.ofSeconds(1)))
                .build());
        resources.add(client);
        client.subscribe(TOPIC, listener);
        await("the first state", () -> updates.contains("sync 1 s"));
        HbtpServerSession first = session.get();

        first.channel().close().sync();
        topics.publishDelta(TOPIC, utf8("+1"));
        topics.publishDelta(TOPIC, utf8("+2"));

        await("reconnected", () -> session.get() != first && client.isOpen());
        await("the missing deltas", () -> updates.contains("delta 2->3 +2"));
        // Asked again from version 1: the deltas since, never the state from scratch.
        assertThat(updates).containsExactly("sync 1 s", "delta 1->2 +1", "delta 2->3 +2");
        assertThat(echo(client, "again")).isEqualTo("again");
    }

    @Test
    void withoutAPolicyALostConnectionStaysLostAndCallsFailAsNetworkErrors() throws Exception {
        AtomicReference<HbtpServerSession> session = new AtomicReference<>();
        LoopbackServer server = new LoopbackServer(server(new HbtpTopics(), session).build());
        resources.add(server);
        HbtpClient client = HbtpClient.connect(server.address(), HbtpClientConfig.defaults());
        resources.add(client);
        assertThat(echo(client, "x")).isEqualTo("x");
        session.get().channel().close().sync();
        await("the client noticed", () -> !client.isOpen());
        Throwable failure = catchThrowable(() -> client.call(ECHO, utf8("y")).get(10, TimeUnit.SECONDS));
        assertThat(HbtpErrorCategory.of(failure)).isEqualTo(HbtpErrorCategory.NETWORK);
    }

    @Test
    void closingAReconnectingClientStopsTheAttempts() throws Exception {
        AtomicReference<HbtpServerSession> session = new AtomicReference<>();
        LoopbackServer server = new LoopbackServer(server(new HbtpTopics(), session).build());
        HbtpClient client = HbtpClient.connect(server.address(), HbtpClientConfig.builder()
                .reconnect(ReconnectPolicy.exponential(Duration.ofMillis(10), Duration.ofMillis(20)))
                .build());
        server.close();
        await("the client noticed", () -> !client.isOpen());
        client.close();
        Throwable failure = catchThrowable(() -> client.call(ECHO, utf8("z")).get(10, TimeUnit.SECONDS));
        assertThat(failure).isNotNull();
        assertThat(client.isOpen()).isFalse();
    }

    private static String echo(HbtpClient client, String text) throws Exception {
        ByteBuf answer = client.call(ECHO, utf8(text)).get(10, TimeUnit.SECONDS);
        try {
            return answer.toString(StandardCharsets.UTF_8);
        } finally {
            answer.release();
        }
    }

    private static ByteBuf utf8(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
