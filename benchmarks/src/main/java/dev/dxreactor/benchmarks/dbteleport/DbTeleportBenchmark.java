package dev.dxreactor.benchmarks.dbteleport;

import dev.dxreactor.benchmarks.ForkEnvironment;
import dev.dxreactor.dbteleport.DbTeleport;
import dev.dxreactor.dbteleport.DbTeleportRoute;
import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpMetadata;
import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpServerInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One query's rows (20 rows, 8 categories) read several ways, each with one call in flight (the time one
 * caller waits) and, for the paths that cross threads, with {@value #IN_FLIGHT} calls in flight (the time per
 * call of a server that keeps that many going): a cache hit through an HBTP route on loopback, the same
 * query run on every call behind an HBTP route, the query run directly over R2DBC, and a cache hit in
 * process. {@link #loopbackFloor} is the same round trip over bare Netty, the floor under any HBTP call;
 * {@link #keyOnly} allocates what a caller's key takes, to tell the hit's own allocation apart.
 * {@link DbTeleportServerBenchmark} measures the server's own share of a cached read, with this router.
 *
 * <p>The HBTP clients do not offer zstd: the cached body (about 560 bytes) is over the default threshold,
 * and compressing a pre-serialized hit again on every call is what the cache exists to avoid; the
 * {@code Zstd} variant keeps HBTP's default and shows what that costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DbTeleportBenchmark {

    static final int CACHED_ROUTE = 1;
    static final int QUERY_ROUTE = 2;
    /** Calls kept in flight by the {@code InFlight64} variants. */
    static final int IN_FLIGHT = 64;
    static final String QUERY_ID = "items";

    /** Boxed once: Integer.valueOf caches small values, so a parameter costs no allocation of its own. */
    static final Integer[] CATEGORY = new Integer[BenchDatabase.CATEGORIES];

    static {
        Arrays.setAll(CATEGORY, i -> i);
    }

    private BenchDatabase db;
    private ConnectionPool pool;
    private DbTeleport cache;
    private EventLoopGroup serverGroup;
    private EventLoopGroup clientGroup;
    private Channel server;
    private HbtpClient client;
    private HbtpClient zstdClient;
    private LoopbackFloor floor;
    private int next;

    private final Semaphore window = new Semaphore(IN_FLIGHT);
    private volatile Throwable failure;
    private final BiConsumer<ByteBuf, Throwable> onAnswer = (body, error) -> {
        if (body != null) {
            body.release();
        } else {
            failure = error;
        }
        window.release();
    };
    private final Consumer<byte[]> onRows = rows -> window.release();
    private final Consumer<Throwable> onQueryError = error -> {
        failure = error;
        window.release();
    };

    /** The layout of the cache's key (an id, the parameter list and a cached hash), for {@link #keyOnly}. */
    record KeyShape(String id, List<?> params, int hash) {
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ForkEnvironment.recordIfRequested();
        db = new BenchDatabase();
        pool = new ConnectionPool(ConnectionPoolConfiguration.builder(db.connectionFactory()).maxSize(4).build());
        cache = cache(pool);
        HbtpRouter router = router(cache, pool);
        // Server and client on loops of their own, as if in two processes.
        BenchTransport transport = BenchTransport.best();
        serverGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-server", true),
                transport.ioHandlerFactory().get());
        clientGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-client", true),
                transport.ioHandlerFactory().get());
        server = new ServerBootstrap().group(serverGroup).channel(transport.serverChannel())
                .childHandler(new HbtpServerInitializer(HbtpServerConfig.builder().router(router).build()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        client = HbtpClient.connect(server.localAddress(), HbtpClientConfig.builder()
                .eventLoop(clientGroup, transport.socketChannel()).compressionThreshold(0).build());
        zstdClient = HbtpClient.connect(server.localAddress(), HbtpClientConfig.builder()
                .eventLoop(clientGroup, transport.socketChannel()).build());
        byte[][] bodies = new byte[BenchDatabase.CATEGORIES][];
        for (int category = 0; category < bodies.length; category++) {
            bodies[category] = query(pool, CATEGORY[category]).block(Duration.ofSeconds(30));
        }
        floor = new LoopbackFloor(transport, serverGroup, clientGroup, bodies);
        check(bodies);
    }

    /** The cache of the benchmark's query, listening and ready. */
    static DbTeleport cache(ConnectionPool pool) throws Exception {
        DbTeleport cache = DbTeleport.builder().connectionFactory(pool).maxEntries(1000).maxBytes(16 << 20).build();
        cache.registerQuery(QUERY_ID, BenchDatabase.QUERY, Set.of(BenchDatabase.TABLE), List.of(Integer.class),
                BenchDatabase.ENCODER);
        cache.installTriggers().toCompletableFuture().get(30, TimeUnit.SECONDS);
        cache.awaitReady(Duration.ofSeconds(30));
        return cache;
    }

    /** The HBTP server's routes: the query answered from {@code cache}, and run on every call. */
    static HbtpRouter router(DbTeleport cache, ConnectionPool pool) {
        HbtpRouter router = DbTeleportRoute.route(new HbtpRouter(), CACHED_ROUTE, cache, QUERY_ID,
                request -> List.of(CATEGORY[request.readIntLE()]));
        return router.routeAsync(QUERY_ROUTE, call -> query(pool, CATEGORY[call.payload().readIntLE()])
                .map(Unpooled::wrappedBuffer).toFuture());
    }

    /** Every path returns the same bytes, and the cached one is a hit after the first call. */
    private void check(byte[][] bodies) throws Exception {
        for (int category = 0; category < BenchDatabase.CATEGORIES; category++) {
            byte[] direct = bodies[category];
            byte[] cached = cache.get(QUERY_ID, List.of(CATEGORY[category])).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS).bytes();
            byte[] viaCachedRoute = call(client, CACHED_ROUTE, category);
            byte[] viaZstd = call(zstdClient, CACHED_ROUTE, category);
            byte[] viaQueryRoute = call(client, QUERY_ROUTE, category);
            ByteBuf viaFloor = floor.call(category).get(30, TimeUnit.SECONDS);
            boolean floorAgrees = Arrays.equals(direct, ByteBufUtil.getBytes(viaFloor));
            viaFloor.release();
            if (direct.length < 20 * 13 || !Arrays.equals(direct, cached) || !Arrays.equals(direct, viaCachedRoute)
                    || !Arrays.equals(direct, viaZstd) || !Arrays.equals(direct, viaQueryRoute) || !floorAgrees) {
                throw new IllegalStateException("the paths disagree for category " + category);
            }
        }
    }

    private static byte[] call(HbtpClient client, int route, int category) throws Exception {
        return call(client, route, category, HbtpMetadata.empty());
    }

    /** The body of one call, waiting at most 30 s. */
    static byte[] call(HbtpClient client, int route, int category, HbtpMetadata metadata) throws Exception {
        ByteBuf body = client.call(route, Unpooled.buffer(4).writeIntLE(category), metadata, Duration.ofSeconds(30))
                .get(30, TimeUnit.SECONDS);
        try {
            return ByteBufUtil.getBytes(body);
        } finally {
            body.release();
        }
    }

    /** The query with the cache's encoder, on a pooled connection: what a miss costs, without the cache. */
    static Mono<byte[]> query(ConnectionPool pool, Integer category) {
        return Mono.usingWhen(pool.create(), (Connection c) -> {
            ByteBuf out = Unpooled.buffer(512);
            return Flux.from(c.createStatement(BenchDatabase.QUERY).bind(0, category).execute())
                    .concatMap(r -> r.map((row, md) -> {
                        BenchDatabase.ENCODER.encode(row, out);
                        return 1;
                    }))
                    .then(Mono.fromCallable(() -> ByteBufUtil.getBytes(out)));
        }, Connection::close);
    }

    /** The in-flight variants leave calls running at the end of an iteration; they end before the next. */
    @TearDown(Level.Iteration)
    public void drain() throws InterruptedException {
        if (!window.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("calls still in flight 60 s after the iteration");
        }
        window.release(IN_FLIGHT);
        checkFailure();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        client.close();
        zstdClient.close();
        floor.close();
        server.close().sync();
        serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        cache.close();
        pool.close().block(Duration.ofSeconds(10));
        db.close();
    }

    private int category() {
        int c = next;
        next = (c + 1) & (BenchDatabase.CATEGORIES - 1);
        return c;
    }

    private void checkFailure() {
        Throwable error = failure;
        if (error != null) {
            throw new IllegalStateException("a call in flight failed", error);
        }
    }

    /** Waits for room in the window, so that at most {@link #IN_FLIGHT} calls are in flight. */
    private void enter() throws InterruptedException {
        checkFailure();
        window.acquire();
    }

    @Benchmark
    public void hbtpCachedHit(Blackhole bh) throws Exception {
        ByteBuf body = client.call(CACHED_ROUTE, Unpooled.buffer(4).writeIntLE(category())).get();
        bh.consume(body.readableBytes());
        body.release();
    }

    @Benchmark
    public void hbtpQuery(Blackhole bh) throws Exception {
        ByteBuf body = client.call(QUERY_ROUTE, Unpooled.buffer(4).writeIntLE(category())).get();
        bh.consume(body.readableBytes());
        body.release();
    }

    @Benchmark
    public byte[] directR2dbcQuery() {
        return query(pool, CATEGORY[category()]).block();
    }

    @Benchmark
    public void loopbackFloor(Blackhole bh) throws Exception {
        ByteBuf body = floor.call(category()).get();
        bh.consume(body.readableBytes());
        body.release();
    }

    @Benchmark
    public void hbtpCachedHitInFlight64() throws InterruptedException {
        enter();
        client.call(CACHED_ROUTE, Unpooled.buffer(4).writeIntLE(category())).whenComplete(onAnswer);
    }

    @Benchmark
    public void hbtpCachedHitZstdInFlight64() throws InterruptedException {
        enter();
        zstdClient.call(CACHED_ROUTE, Unpooled.buffer(4).writeIntLE(category())).whenComplete(onAnswer);
    }

    @Benchmark
    public void hbtpQueryInFlight64() throws InterruptedException {
        enter();
        client.call(QUERY_ROUTE, Unpooled.buffer(4).writeIntLE(category())).whenComplete(onAnswer);
    }

    @Benchmark
    public void directR2dbcQueryInFlight64() throws InterruptedException {
        enter();
        query(pool, CATEGORY[category()]).subscribe(onRows, onQueryError);
    }

    @Benchmark
    public Object cacheHit() {
        return cache.get(QUERY_ID, List.of(CATEGORY[category()]));
    }

    @Benchmark
    public Object keyOnly() {
        List<Integer> params = List.of(CATEGORY[category()]);
        return new KeyShape(QUERY_ID, params, params.hashCode());
    }
}
