package dev.dxreactor.examples.showcase;

import dev.dxreactor.cim.CimConfig;
import dev.dxreactor.cim.middleware.JwtConfig;
import dev.dxreactor.cim.middleware.RateLimitConfig;
import dev.dxreactor.cim.middleware.RateLimitKey;
import dev.dxreactor.dbteleport.DbTeleport;
import dev.dxreactor.dbteleport.PgTopicBridge;
import dev.dxreactor.examples.showcase.api.DevTokens;
import dev.dxreactor.examples.showcase.api.HbtpApi;
import dev.dxreactor.examples.showcase.api.HttpApi;
import dev.dxreactor.examples.showcase.api.InFlight;
import dev.dxreactor.examples.showcase.api.ShowcaseChainHandler;
import dev.dxreactor.examples.showcase.ops.Health;
import dev.dxreactor.examples.showcase.ops.OpsEndpoints;
import dev.dxreactor.examples.showcase.ops.ShowcaseMetrics;
import dev.dxreactor.examples.showcase.store.CatalogCache;
import dev.dxreactor.examples.showcase.store.CatalogSchema;
import dev.dxreactor.examples.showcase.store.ItemWriter;
import dev.dxreactor.examples.showcase.store.SharedSecret;
import dev.dxreactor.examples.showcase.store.ShowcaseDatabase;
import dev.dxreactor.examples.showcase.topics.BoardLog;
import dev.dxreactor.examples.showcase.topics.CategoryFeed;
import dev.dxreactor.examples.showcase.web.BoardPage;
import dev.dxreactor.hbtp.HbtpCloseCode;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpServerInitializer;
import dev.dxreactor.hbtp.HbtpServerSession;
import dev.dxreactor.hbtp.HbtpTopics;
import dev.dxreactor.hbtp.HbtpWebSocketConfig;
import dev.dxreactor.hbtp.HbtpWebSocketUpgradeHandler;
import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.WorkerStrategy;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance of the price board: every module composed. PostgreSQL holds the items; db-teleport caches the
 * read answers and LISTEN/NOTIFY keeps them fresh; PgTopicBridge keeps the category topics the same on every
 * instance of the database; one fused middleware chain guards HBTP and HTTP; teleport messages are the HBTP
 * bodies; DxReactor runs both servers on the best transport.
 */
public final class Showcase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("showcase");
    /** The least time clients get to answer CLOSE, even when the grace is used up. */
    private static final Duration CLOSE_ANSWER_WAIT = Duration.ofMillis(500);

    private final ShowcaseDatabase db;
    private final DbTeleport cache;
    private final PgTopicBridge bridge;
    private final HbtpTopics topics;
    private final DxReactor reactor;
    private final InFlight inFlight;
    private final Set<HbtpServerSession> sessions;
    private final ShowcaseMetrics metrics;
    private final Channel hbtp;
    private final Channel http;
    private final String token;
    private Boolean stopResult;

    private Showcase(ShowcaseDatabase db, DbTeleport cache, PgTopicBridge bridge, HbtpTopics topics, DxReactor reactor,
                     InFlight inFlight, Set<HbtpServerSession> sessions, ShowcaseMetrics metrics, Channel hbtp,
                     Channel http, String token) {
        this.db = db;
        this.cache = cache;
        this.bridge = bridge;
        this.topics = topics;
        this.reactor = reactor;
        this.inFlight = inFlight;
        this.sessions = sessions;
        this.metrics = metrics;
        this.hbtp = hbtp;
        this.http = http;
        this.token = token;
    }

    /** Starts an instance: database, schema and seed, cache, topics, both servers. */
    public static Showcase start(ShowcaseConfig config) throws Exception {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            ShowcaseMetrics metrics = config.metrics() ? new ShowcaseMetrics() : null;
            if (metrics != null) {
                opened.add(metrics);
            }
            MeterRegistry registry = metrics == null ? null : metrics.registry();
            ShowcaseDatabase db = ShowcaseDatabase.open(config.databaseUrl());
            opened.add(db);
            CatalogSchema.install(db.pool()).block(Duration.ofSeconds(60));
            byte[] secret = config.jwtSecret() != null ? config.jwtSecret() : SharedSecret.load(db.pool());

            DbTeleport cache = CatalogCache.open(db, registry);
            opened.add(cache);
            HbtpTopics topics = new HbtpTopics(config.deltasPerSnapshot());
            PgTopicBridge bridge = PgTopicBridge.builder().connectionFactory(db.pool()).topics(topics)
                    .maxDeltasPerSnapshot(config.deltasPerSnapshot()).listener(new BoardLog()).build();
            opened.add(bridge);
            bridge.startAndWait(Duration.ofSeconds(60));
            CategoryFeed feed = new CategoryFeed(bridge);
            feed.publishMissingSnapshots().toCompletableFuture().join();
            ItemWriter writer = new ItemWriter(db.pool(), bridge, feed);

            CimConfig.Builder cimBuilder = CimConfig.builder();
            if (registry != null) {
                cimBuilder.meterRegistry(registry);
            }
            CimConfig cim = cimBuilder
                    .jwt(JwtConfig.builder().hmacKey(secret).audience(DevTokens.AUDIENCE).build())
                    .rateLimit(RateLimitConfig.builder().permitsPerSecond(config.ratePerSecond()).burst(config.burst())
                            .key(RateLimitKey.REMOTE_ADDRESS).build())
                    .build();
            InFlight inFlight = new InFlight();
            DxReactor reactor = DxReactor.builder()
                    .workers(config.workers() > 0 ? WorkerStrategy.fixed(config.workers()) : WorkerStrategy.threadPerCore())
                    .build();
            opened.add(reactor);
            if (metrics != null) {
                metrics.bind(reactor);
            }
            Set<HbtpServerSession> sessions = ConcurrentHashMap.newKeySet();

            ShowcaseConfig.HbtpLimits limits = config.hbtp();
            HbtpServerConfig.Builder hbtpBuilder = HbtpServerConfig.builder();
            if (registry != null) {
                hbtpBuilder.meterRegistry(registry);
            }
            HbtpServerConfig hbtpConfig = hbtpBuilder
                    .router(HbtpApi.router(cim, cache, writer, inFlight))
                    .topics(topics)
                    .offloadExecutor(reactor.offload())
                    .maxFrameLength(limits.maxFrameLength())
                    .maxMessageLength(limits.maxMessageLength())
                    .maxFragments(limits.maxFragments())
                    .maxInFlight(limits.maxInFlight())
                    .maxConnections(limits.maxConnections())
                    .idleTimeout(limits.idleTimeout())
                    .slowCallThreshold(limits.slowCallThreshold())
                    .mdc(true)
                    .onSession(session -> {
                        // Kept for the graceful stop, which sends each one CLOSE once its calls have answered.
                        sessions.add(session);
                        session.channel().closeFuture().addListener(closed -> sessions.remove(session));
                    })
                    .build();
            Channel hbtp = reactor.serverBootstrap().childHandler(new HbtpServerInitializer(hbtpConfig))
                    .bind(new InetSocketAddress(config.host(), config.hbtpPort())).sync().channel();
            opened.add(hbtp::close);
            // One handler for every HTTP connection: the generated chain handler is @Sharable.
            ShowcaseChainHandler api = new ShowcaseChainHandler(cim, new HttpApi(cache, writer, inFlight));
            Health health = new Health()
                    .check("accepting", () -> !inFlight.isDraining())
                    .check("cacheListener", cache::isListening)
                    .check("topicListener", bridge::isListening);
            OpsEndpoints ops = new OpsEndpoints(metrics, health);
            BoardPage board = new BoardPage();
            // HBTP over WebSocket for the board page (and any browser client), on the page's own origin.
            HbtpWebSocketConfig webSocket = HbtpWebSocketConfig.builder(hbtpConfig).build();
            Channel http = reactor.serverBootstrap().childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(),
                                    new HttpObjectAggregator(config.httpMaxContentLength()),
                                    new HbtpWebSocketUpgradeHandler(webSocket), ops, board, api);
                        }
                    })
                    .bind(new InetSocketAddress(config.host(), config.httpPort())).sync().channel();

            String token = DevTokens.issue(secret, "showcase-user", Duration.ofHours(12));
            return new Showcase(db, cache, bridge, topics, reactor, inFlight, sessions, metrics, hbtp, http, token);
        } catch (Exception | Error e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    /**
     * Stops gracefully: readiness turns false and the servers stop accepting; new calls on open connections are
     * refused as UNAVAILABLE (503 over HTTP); each HBTP connection is sent CLOSE 1001 ("server shutting down") once
     * its running calls have answered; the calls still running after {@code grace} are cut off (and logged). Then
     * the connections, the topics' bridge, the cache, the database and the meters are closed.
     *
     * @return whether every running call finished within {@code grace}
     */
    public synchronized boolean stop(Duration grace) throws InterruptedException {
        if (stopResult != null) {
            return stopResult;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        inFlight.drain();
        hbtp.close().syncUninterruptibly();
        http.close().syncUninterruptibly();
        for (HbtpServerSession session : sessions) {
            session.goAway(HbtpCloseCode.GOING_AWAY, "server shutting down");
        }
        boolean finished = inFlight.awaitIdle(grace);
        if (!finished) {
            LOG.warn("shutdown: {} calls still running after the grace of {} ms are cut off: {}", inFlight.running(),
                    grace.toMillis(), inFlight.runningByKind());
        }
        // Clients answer CLOSE at once; the rest of the grace (at least a moment) is theirs to do so.
        long closeWait = Math.max(deadline - System.nanoTime(), CLOSE_ANSWER_WAIT.toNanos());
        awaitSessionsClosed(closeWait);
        if (!sessions.isEmpty()) {
            LOG.info("shutdown: closing {} HBTP connections that did not answer CLOSE", sessions.size());
        }
        // The answers of the last calls are written by tasks queued on the event loops (a task may queue one more);
        // shutting the loops down closes the connections first, so let two rounds of tasks run before.
        for (int round = 0; round < 2; round++) {
            for (EventExecutor loop : reactor.group()) {
                loop.submit(() -> { }).syncUninterruptibly();
            }
        }
        reactor.shutdownGracefully(Duration.ofMillis(100), Duration.ofSeconds(5)).join();
        bridge.close();
        topics.close();
        cache.close();
        db.close();
        if (metrics != null) {
            metrics.close();
        }
        stopResult = finished;
        return finished;
    }

    private void awaitSessionsClosed(long nanos) throws InterruptedException {
        long giveUp = System.nanoTime() + nanos;
        while (!sessions.isEmpty() && System.nanoTime() - giveUp < 0) {
            Thread.sleep(10);
        }
    }

    /** {@link #stop} with ten seconds of grace. */
    @Override
    public void close() {
        try {
            stop(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public InetSocketAddress hbtpAddress() {
        return (InetSocketAddress) hbtp.localAddress();
    }

    public InetSocketAddress httpAddress() {
        return (InetSocketAddress) http.localAddress();
    }

    /** A development token for this instance's (and its fleet's, with a shared key) API. */
    public String token() {
        return token;
    }

    public ShowcaseDatabase database() {
        return db;
    }

    public DxReactor reactor() {
        return reactor;
    }

    public DbTeleport cache() {
        return cache;
    }

    public PgTopicBridge bridge() {
        return bridge;
    }

    public HbtpTopics topics() {
        return topics;
    }

    public InFlight inFlight() {
        return inFlight;
    }

    /** The meters, or {@code null} when metrics are off. */
    public ShowcaseMetrics metrics() {
        return metrics;
    }

    /** Whether the servers still accept connections. */
    public boolean isAccepting() {
        return hbtp.isActive() && http.isActive();
    }
}
