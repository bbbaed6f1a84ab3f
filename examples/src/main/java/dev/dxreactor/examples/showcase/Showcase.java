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
import dev.dxreactor.examples.showcase.store.CatalogCache;
import dev.dxreactor.examples.showcase.store.CatalogSchema;
import dev.dxreactor.examples.showcase.store.ItemWriter;
import dev.dxreactor.examples.showcase.store.SharedSecret;
import dev.dxreactor.examples.showcase.store.ShowcaseDatabase;
import dev.dxreactor.examples.showcase.topics.BoardLog;
import dev.dxreactor.examples.showcase.topics.CategoryFeed;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpServerInitializer;
import dev.dxreactor.hbtp.HbtpTopics;
import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.WorkerStrategy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.EventExecutor;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One instance of the price board: every module composed. PostgreSQL holds the items; db-teleport caches the
 * read answers and LISTEN/NOTIFY keeps them fresh; PgTopicBridge keeps the category topics the same on every
 * instance of the database; one fused middleware chain guards HBTP and HTTP; teleport messages are the HBTP
 * bodies; DxReactor runs both servers on the best transport.
 */
public final class Showcase implements AutoCloseable {

    private final ShowcaseDatabase db;
    private final DbTeleport cache;
    private final PgTopicBridge bridge;
    private final HbtpTopics topics;
    private final DxReactor reactor;
    private final InFlight inFlight;
    private final Channel hbtp;
    private final Channel http;
    private final String token;
    private boolean stopped;

    private Showcase(ShowcaseDatabase db, DbTeleport cache, PgTopicBridge bridge, HbtpTopics topics, DxReactor reactor,
                     InFlight inFlight, Channel hbtp, Channel http, String token) {
        this.db = db;
        this.cache = cache;
        this.bridge = bridge;
        this.topics = topics;
        this.reactor = reactor;
        this.inFlight = inFlight;
        this.hbtp = hbtp;
        this.http = http;
        this.token = token;
    }

    /** Starts an instance: database, schema and seed, cache, topics, both servers. */
    public static Showcase start(ShowcaseConfig config) throws Exception {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            ShowcaseDatabase db = ShowcaseDatabase.open(config.databaseUrl());
            opened.add(db);
            CatalogSchema.install(db.pool()).block(Duration.ofSeconds(60));
            byte[] secret = config.jwtSecret() != null ? config.jwtSecret() : SharedSecret.load(db.pool());

            DbTeleport cache = CatalogCache.open(db);
            opened.add(cache);
            HbtpTopics topics = new HbtpTopics(config.deltasPerSnapshot());
            PgTopicBridge bridge = PgTopicBridge.builder().connectionFactory(db.pool()).topics(topics)
                    .maxDeltasPerSnapshot(config.deltasPerSnapshot()).listener(new BoardLog()).build();
            opened.add(bridge);
            bridge.startAndWait(Duration.ofSeconds(60));
            CategoryFeed feed = new CategoryFeed(bridge);
            feed.publishMissingSnapshots().toCompletableFuture().join();
            ItemWriter writer = new ItemWriter(db.pool(), bridge, feed);

            CimConfig cim = CimConfig.builder()
                    .jwt(JwtConfig.builder().hmacKey(secret).audience(DevTokens.AUDIENCE).build())
                    .rateLimit(RateLimitConfig.builder().permitsPerSecond(config.ratePerSecond()).burst(config.burst())
                            .key(RateLimitKey.REMOTE_ADDRESS).build())
                    .build();
            InFlight inFlight = new InFlight();
            DxReactor reactor = DxReactor.builder()
                    .workers(config.workers() > 0 ? WorkerStrategy.fixed(config.workers()) : WorkerStrategy.threadPerCore())
                    .build();
            opened.add(reactor);

            HbtpServerConfig hbtpConfig = HbtpServerConfig.builder()
                    .router(HbtpApi.router(cim, cache, writer, inFlight))
                    .topics(topics)
                    .offloadExecutor(reactor.offload())
                    .build();
            Channel hbtp = reactor.serverBootstrap().childHandler(new HbtpServerInitializer(hbtpConfig))
                    .bind(new InetSocketAddress(config.host(), config.hbtpPort())).sync().channel();
            opened.add(hbtp::close);
            // One handler for every HTTP connection: the generated chain handler is @Sharable.
            ShowcaseChainHandler api = new ShowcaseChainHandler(cim, new HttpApi(cache, writer, inFlight));
            Channel http = reactor.serverBootstrap().childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 << 10), api);
                        }
                    })
                    .bind(new InetSocketAddress(config.host(), config.httpPort())).sync().channel();

            String token = DevTokens.issue(secret, "showcase-user", Duration.ofHours(12));
            return new Showcase(db, cache, bridge, topics, reactor, inFlight, hbtp, http, token);
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
     * Stops gracefully: the servers stop accepting, calls already running finish (new ones on open connections
     * are refused as UNAVAILABLE) within {@code grace}, then the connections, the topics' bridge, the cache and
     * the database are closed.
     *
     * @return whether every running call finished within {@code grace}
     */
    public synchronized boolean stop(Duration grace) throws InterruptedException {
        if (stopped) {
            return true;
        }
        stopped = true;
        inFlight.drain();
        hbtp.close().syncUninterruptibly();
        http.close().syncUninterruptibly();
        boolean finished = inFlight.awaitIdle(grace);
        // The answers of the last calls are written by tasks queued on the event loops (a task may queue one more);
        // shutting the loops down closes the connections first, so let two rounds of tasks run before.
        for (int round = 0; round < 2; round++) {
            for (EventExecutor loop : reactor.group()) {
                loop.submit(() -> { }).syncUninterruptibly();
            }
        }
        reactor.shutdownGracefully(Duration.ofMillis(100), Duration.ofSeconds(5)).join();
        bridge.close();
        cache.close();
        db.close();
        return finished;
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

    /** Whether the servers still accept connections. */
    public boolean isAccepting() {
        return hbtp.isActive() && http.isActive();
    }
}
