package dev.dxreactor.dbteleport;

import dev.dxreactor.hbtp.HbtpCallFuture;
import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpMetadata;
import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.hbtp.HbtpRpcException;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpServerInitializer;
import dev.dxreactor.hbtp.HbtpStatus;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.dxreactor.dbteleport.Fixtures.await;
import static dev.dxreactor.dbteleport.Fixtures.counter;
import static dev.dxreactor.dbteleport.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A registered query served over a real HBTP connection on loopback: body, version, NOT_MODIFIED, errors. */
class DbTeleportRouteTest {

    private static final int ROUTE = 3;

    private final TestDatabase db = TestDatabase.get();
    private final String items = TestDatabase.unique("items");
    private DbTeleport cache;
    private EventLoopGroup group;
    private Channel listener;
    private HbtpClient client;

    @BeforeEach
    void start() throws Exception {
        db.execute("CREATE TABLE " + items + " (id int PRIMARY KEY, v text NOT NULL)",
                "INSERT INTO " + items + " SELECT g, repeat('v', g) FROM generate_series(1, 40) g");
        cache = Fixtures.builder(db, TestDatabase.unique("ch")).build();
        cache.registerQuery("from", "SELECT id, v FROM " + items + " WHERE id >= $1 ORDER BY id", Set.of(items),
                Fixtures.TEXT);
        await(cache.installTriggers());
        cache.awaitReady(Fixtures.PATIENCE);

        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        HbtpRouter router = DbTeleportRoute.route(new HbtpRouter(), ROUTE, cache, "from",
                request -> List.of(request.readIntLE()));
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new HbtpServerInitializer(HbtpServerConfig.builder().router(router).build()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        client = HbtpClient.connect(listener.localAddress(), HbtpClientConfig.defaults());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        listener.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        cache.close();
        db.execute("DROP TABLE " + items);
    }

    @Test
    void aCallIsAnsweredWithTheCachedBytesAndTheirVersion() throws Exception {
        HbtpCallFuture first = client.call(ROUTE, request(35));
        String body = text(first.get(10, TimeUnit.SECONDS));
        CacheEntry entry = await(cache.get("from", List.of(35)));

        assertThat(body).isEqualTo(Fixtures.text(entry)).startsWith("35,vvv");
        assertThat(first.responseMetadata().get(HbtpMetadata.VERSION)).isEqualTo(Long.toUnsignedString(entry.version()));
        assertThat(counter(cache, "misses")).isEqualTo(1);
    }

    @Test
    void manyHitsShareOneBufferAndEachGetsTheWholeBody() throws Exception {
        String expected = Fixtures.text(await(cache.get("from", List.of(1))));
        List<HbtpCallFuture> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(client.call(ROUTE, request(1)));
        }
        for (HbtpCallFuture call : calls) {
            assertThat(text(call.get(10, TimeUnit.SECONDS))).isEqualTo(expected);
        }
        assertThat(counter(cache, "hits")).isEqualTo(200);
        assertThat(Fixtures.text(await(cache.get("from", List.of(1))))).isEqualTo(expected);
    }

    @Test
    void aCurrentVersionIsAnsweredNotModifiedAndAStaleOneWithTheNewBody() throws Exception {
        HbtpCallFuture first = client.call(ROUTE, request(40));
        text(first.get(10, TimeUnit.SECONDS));
        String version = first.responseMetadata().get(HbtpMetadata.VERSION);

        assertThatThrownBy(() -> conditional(40, version).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOfSatisfying(HbtpRpcException.class, e -> {
                    assertThat(e.status()).isEqualTo(HbtpStatus.NOT_MODIFIED);
                    assertThat(e.metadata().get(HbtpMetadata.VERSION)).isEqualTo(version);
                });

        long changes = cache.generations().changes(items);
        db.execute("UPDATE " + items + " SET v = 'new' WHERE id = 40");
        eventually("the notification arrived", () -> cache.generations().changes(items) > changes);

        HbtpCallFuture again = conditional(40, version);
        assertThat(text(again.get(10, TimeUnit.SECONDS))).isEqualTo("40,new;");
        String newVersion = again.responseMetadata().get(HbtpMetadata.VERSION);
        assertThat(Long.compareUnsigned(Long.parseUnsignedLong(newVersion), Long.parseUnsignedLong(version)))
                .isPositive();
    }

    @Test
    void badRequestsAreAnsweredBadRequestWithoutAQuery() {
        assertStatus(client.call(ROUTE, Unpooled.wrappedBuffer(new byte[]{1, 2})), HbtpStatus.BAD_REQUEST,
                "bad request for query 'from'");
        assertStatus(conditional(1, "not-a-number"), HbtpStatus.BAD_REQUEST, "version metadata must be");
        assertThat(counter(cache, "misses") + counter(cache, "bypassed")).isZero();

        HbtpRouter router = new HbtpRouter();
        assertThatThrownBy(() -> DbTeleportRoute.route(router, 1, cache, "unknown", r -> List.of()))
                .hasMessage("query 'unknown' is not registered with the cache");
    }

    @Test
    void parametersThatDoNotFitTheQueryAreABadRequest() throws Exception {
        HbtpRouter router = DbTeleportRoute.route(new HbtpRouter(), 1, cache, "from",
                request -> List.of(request.readIntLE(), "extra"));
        Channel other = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new HbtpServerInitializer(HbtpServerConfig.builder().router(router).build()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try (HbtpClient second = HbtpClient.connect(other.localAddress(), HbtpClientConfig.defaults())) {
            assertStatus(second.call(1, request(1)), HbtpStatus.BAD_REQUEST, "query 'from' takes 1 parameter, got 2");
        } finally {
            other.close().sync();
        }
        assertThat(counter(cache, "misses")).isZero();
    }

    @Test
    void aResultLargerThanThePerEntryLimitIsAnsweredResourceExhausted() throws Exception {
        try (DbTeleport small = Fixtures.builder(db, TestDatabase.unique("ch")).maxEntryBytes(100).build()) {
            small.registerQuery("from", "SELECT id, v FROM " + items + " WHERE id >= $1 ORDER BY id", Set.of(items),
                    Fixtures.TEXT);
            HbtpRouter router = DbTeleportRoute.route(new HbtpRouter(), 1, small, "from",
                    request -> List.of(request.readIntLE()));
            Channel other = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new HbtpServerInitializer(HbtpServerConfig.builder().router(router).build()))
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            try (HbtpClient second = HbtpClient.connect(other.localAddress(), HbtpClientConfig.defaults())) {
                assertStatus(second.call(1, request(1)), HbtpStatus.RESOURCE_EXHAUSTED,
                        "the result of query 'from' is larger than 100 bytes");
                assertThat(text(second.call(1, request(39)).get(10, TimeUnit.SECONDS)))
                        .as("a result within the limit").isEqualTo("39," + "v".repeat(39) + ";40," + "v".repeat(40) + ";");
            } finally {
                other.close().sync();
            }
        }
    }

    private HbtpCallFuture conditional(int from, String version) {
        return client.call(ROUTE, request(from), HbtpMetadata.builder().put(HbtpMetadata.VERSION, version).build(),
                Duration.ofSeconds(10));
    }

    private static void assertStatus(HbtpCallFuture call, int status, String message) {
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(HbtpRpcException.class, e -> assertThat(e.status()).isEqualTo(status))
                .hasMessageContaining(message);
    }

    private static ByteBuf request(int from) {
        return Unpooled.buffer(4).writeIntLE(from);
    }

    private static String text(ByteBuf body) {
        try {
            return body.toString(StandardCharsets.UTF_8);
        } finally {
            body.release();
        }
    }
}
