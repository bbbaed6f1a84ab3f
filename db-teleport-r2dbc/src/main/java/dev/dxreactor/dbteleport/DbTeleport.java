package dev.dxreactor.dbteleport;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * A cache of query results, kept as the exact bytes a client receives, that PostgreSQL's
 * {@code LISTEN/NOTIFY} keeps coherent across every server that shares the database.
 *
 * <pre>{@code
 * DbTeleport cache = DbTeleport.builder()
 *         .connectionFactory(ConnectionFactories.get("r2dbc:postgresql://app@db/shop"))
 *         .maxEntries(100_000).maxBytes(256L << 20)
 *         .build();
 * cache.registerQuery("user", "SELECT id, name FROM users WHERE id = $1", Set.of("users"), encoder);
 * cache.installTriggers(Set.of("users")).toCompletableFuture().join();   // once per database; idempotent
 * cache.get("user", List.of(42L)).thenAccept(entry -> send(entry.content()));
 * }</pre>
 *
 * <p><b>Reads.</b> A hit is one hash lookup and a check that no table the query depends on has changed since
 * the entry was read: it allocates nothing but the caller's key and returns a stage completed in advance.
 * Concurrent misses for one key run the query once.
 *
 * <p><b>Invalidation.</b> {@link #installTriggers} makes every committed INSERT, UPDATE, DELETE or TRUNCATE
 * on a table send {@code pg_notify(channel, table)}. One dedicated connection listens; a notification makes
 * every entry that depends on the table stale at once, here and in every other instance on the database. A
 * query that overlaps a change never stores its result. While the listener is down (lost connection,
 * terminated backend) every read goes to the database (concurrent reads of one key still share one query,
 * whose result is not stored), and the cache is used again only once {@code LISTEN} is back in force, after
 * everything was invalidated. A closed cache never serves again, whenever its listener's {@code LISTEN}
 * completes.
 *
 * <p><b>Size.</b> A result larger than {@link Builder#maxEntryBytes} is abandoned as its rows stream in and
 * its call fails with {@link ResultTooLargeException}.
 *
 * <p><b>Consistency.</b> A read that starts after this instance has received the notification of a commit
 * sees that commit or a later state. Notifications arrive within milliseconds of the commit on a healthy
 * connection; in between, a read may return the state before the commit.
 */
public final class DbTeleport implements AutoCloseable {

    /** Channel used when the builder sets none. */
    public static final String DEFAULT_CHANNEL = "dx_db_teleport";

    private final ConnectionFactory pool;
    private final ConnectionPool ownedPool;
    private final String channel;
    private final MeterRegistry registry;
    private final Generations generations = new Generations();
    private final Map<String, RegisteredQuery> queries = new ConcurrentHashMap<>();
    private final EntryCache cache;
    private final Metrics metrics;
    private final Invalidator invalidator;
    private final NotificationListener listener;
    private final SingleFlight singleFlight = new SingleFlight();
    private final VersionClock clock = new VersionClock();
    private final QueryRunner runner;

    private DbTeleport(Builder b) {
        int maxEntryBytes = b.maxEntryBytes();
        channel = TriggerSql.checkChannel(b.channel);
        DatabaseConnections.Opened connections = b.connections.open();
        registry = b.registry != null ? b.registry : new SimpleMeterRegistry();
        pool = connections.queries();
        ownedPool = connections.ownedPool();
        EntryCache[] holder = new EntryCache[1];
        metrics = new Metrics(registry, b.name != null ? b.name : channel, () -> holder[0].entries(),
                () -> holder[0].bytes(), this::isListening);
        cache = new EntryCache(b.maxEntries, b.maxBytes, b.executor, metrics.sizeEvictions);
        holder[0] = cache;
        invalidator = new Invalidator(generations, cache, metrics, b.executor, b.invalidationListener);
        runner = new QueryRunner(pool, b.allocator, maxEntryBytes);
        listener = b.connections.newListener(connections, channel, invalidator);
        listener.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers a query whose parameter types are any of the supported value types (String, Integer, Long,
     * Short, Boolean, Double, Float, BigDecimal, UUID, LocalDate, LocalTime, LocalDateTime, OffsetDateTime,
     * Instant); the count comes from the {@code $1 .. $n} placeholders of {@code sql}.
     *
     * @param id      the name reads use
     * @param sql     one statement; its result must depend only on {@code tables} and the parameters
     * @param tables  every table the result depends on, as named in the catalog (case-sensitive)
     * @param encoder turns the rows into the bytes that are cached
     * @throws IllegalArgumentException when the id is taken or empty, a table name is not a plain identifier
     *                                  (all bad names are reported), or the placeholders skip a number
     */
    public void registerQuery(String id, String sql, Set<String> tables, RowEncoder encoder) {
        register(id, sql, tables, encoder, null);
    }

    /**
     * {@link #registerQuery(String, String, Set, RowEncoder)} with the exact Java type of each parameter:
     * a read whose parameter {@code $i} is not of {@code parameterTypes.get(i - 1)} is refused.
     */
    public void registerQuery(String id, String sql, Set<String> tables, List<Class<?>> parameterTypes,
                              RowEncoder encoder) {
        register(id, sql, tables, encoder, Objects.requireNonNull(parameterTypes, "parameterTypes"));
    }

    private void register(String id, String sql, Set<String> tables, RowEncoder encoder, List<Class<?>> types) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("query id must not be empty");
        }
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("query '" + id + "' has no SQL");
        }
        Objects.requireNonNull(encoder, "encoder");
        Identifiers.check("table", tables);
        Parameters parameters = types == null ? Parameters.inferred(id, sql) : Parameters.declared(id, sql, types);
        RegisteredQuery query = new RegisteredQuery(id, sql, tables, parameters, encoder, generations);
        if (queries.putIfAbsent(id, query) != null) {
            throw new IllegalArgumentException("query '" + id + "' is already registered");
        }
    }

    /** Whether {@code id} names a registered query. */
    public boolean isRegistered(String id) {
        return queries.containsKey(id);
    }

    /**
     * The result of query {@code id} with {@code params}: from the cache when it holds a current entry,
     * else from the database (and then cached). The stage fails with {@link ResultTooLargeException} when the
     * result is larger than {@link Builder#maxEntryBytes}, and with the driver's error when the query fails.
     *
     * @throws IllegalArgumentException for an unknown id, or parameters of the wrong count or type; nothing
     *                                  is sent to the database then
     */
    public CompletionStage<CacheEntry> get(String id, List<?> params) {
        QueryKey key = key(id, params);
        CacheEntry hit = cached(key);
        return hit != null ? hit.stage() : load(key).minimalCompletionStage();
    }

    /**
     * A conditional read: {@link NotModified} when {@code knownVersion} is the version of the current result,
     * else the current {@link CacheEntry}. Same errors as {@link #get(String, List)}.
     */
    public CompletionStage<CacheResult> get(String id, List<?> params, long knownVersion) {
        QueryKey key = key(id, params);
        CacheEntry hit = cached(key);
        return hit != null ? hit.resultStage(knownVersion)
                : load(key).thenCompose(entry -> entry.resultStage(knownVersion));
    }

    private static QueryKey key(String id, List<?> params) {
        if (id == null) {
            throw new IllegalArgumentException("query id is null");
        }
        if (params == null) {
            throw new IllegalArgumentException("query '" + id + "': parameters are null; pass List.of()");
        }
        return new QueryKey(id, params);
    }

    /** The current entry for {@code key}, counted as a hit, or {@code null}. Allocates nothing. */
    CacheEntry cached(QueryKey key) {
        if (!invalidator.serving()) {
            return null;
        }
        CacheEntry entry = cache.get(key);
        if (entry == null || !entry.isCurrent()) {
            return null;
        }
        metrics.hits.increment();
        return entry;
    }

    /**
     * A miss: checks the call, then queries (once for concurrent callers) and stores the result if nothing
     * it depends on changed meanwhile. While the listener is down, concurrent callers still share one query,
     * but its result is not stored: nothing tells this server of changes then.
     */
    CompletableFuture<CacheEntry> load(QueryKey key) {
        RegisteredQuery query = queries.get(key.id());
        if (query == null) {
            throw new IllegalArgumentException("unknown query id '" + key.id() + "'; registered: "
                    + new TreeSet<>(queries.keySet()));
        }
        query.check(key.params());
        QueryKey frozen = key.frozen();
        boolean serving = invalidator.serving();
        (serving ? metrics.misses : metrics.bypassed).increment();
        // Taken after the check: losing or regaining the listener moves every snapshot, so a caller never
        // joins a load from the other side of such a change.
        long snapshot = query.snapshot();
        return singleFlight.load(frozen, snapshot, () -> fetch(frozen, query, snapshot, serving));
    }

    private CompletableFuture<CacheEntry> fetch(QueryKey key, RegisteredQuery query, long snapshot, boolean store) {
        Instant started = Instant.now();
        return runner.run(query, key.params()).map(bytes -> {
            CacheEntry entry = new CacheEntry(query, snapshot, bytes, clock.next(started), started);
            if (store && invalidator.serving() && query.snapshot() == snapshot && cache.put(key, entry)
                    && query.snapshot() != snapshot) {
                // Invalidated between the check and the put: reads would refuse it anyway; free the room.
                cache.remove(key, entry);
            }
            return entry;
        }).toFuture();
    }

    /**
     * Installs the notify triggers on {@code tables} (see the class comment), in one transaction. Idempotent:
     * run it at every start, from any number of servers at once.
     *
     * @throws IllegalArgumentException naming every table name that is not a plain identifier
     */
    public CompletionStage<Void> installTriggers(Set<String> tables) {
        List<String> statements = TriggerSql.statements(channel, tables);
        return Mono.usingWhen(Mono.from(pool.create()),
                connection -> Mono.from(connection.beginTransaction())
                        .thenMany(Flux.fromIterable(statements).concatMap(sql -> execute(connection, sql)))
                        .then(Mono.from(connection.commitTransaction())),
                Connection::close,
                (connection, error) -> Mono.from(connection.rollbackTransaction()).onErrorComplete()
                        .then(Mono.from(connection.close())),
                Connection::close).toFuture();
    }

    /** {@link #installTriggers(Set)} for every table a registered query depends on. */
    public CompletionStage<Void> installTriggers() {
        Set<String> tables = new TreeSet<>();
        queries.values().forEach(q -> tables.addAll(q.tables()));
        if (tables.isEmpty()) {
            throw new IllegalStateException("no query is registered, so there is no table to install triggers on");
        }
        return installTriggers(tables);
    }

    private static Mono<Long> execute(Connection connection, String sql) {
        return Flux.from(connection.createStatement(sql).execute())
                .concatMap(result -> result.getRowsUpdated()).reduce(0L, Long::sum);
    }

    /** Completes once {@code LISTEN} is first in force; until then every read goes to the database. */
    public CompletionStage<Void> ready() {
        return invalidator.firstListen().minimalCompletionStage();
    }

    /**
     * Waits for {@link #ready()}; for start-up code and tests.
     *
     * @throws java.util.concurrent.TimeoutException when {@code LISTEN} is not in force within {@code timeout}
     */
    public void awaitReady(Duration timeout) throws Exception {
        ready().toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether reads are served from the cache now (the listener is listening). */
    public boolean isListening() {
        return invalidator.serving();
    }

    /** The channel the triggers notify and the listener listens to. */
    public String channel() {
        return channel;
    }

    /** Where the metrics are ({@code dx.dbteleport.*}, tagged {@code cache=<name>}). */
    public MeterRegistry meterRegistry() {
        return registry;
    }

    /** Entries held now (approximate while evictions are pending). */
    public long entryCount() {
        return cache.entries();
    }

    /** Bytes of the entries held now; a pass over the cache. */
    public long byteCount() {
        return cache.bytes();
    }

    /** The backend process id of the listening connection, or 0 while there is none. */
    int listenerPid() {
        return listener.backendPid();
    }

    Generations generations() {
        return generations;
    }

    EntryCache cache() {
        return cache;
    }

    SingleFlight singleFlight() {
        return singleFlight;
    }

    /** Stops listening, drops every entry and closes the pool this cache created (not one it was given). */
    @Override
    public void close() {
        invalidator.stop();
        listener.close();
        cache.clear();
        if (ownedPool != null) {
            ownedPool.close().block(Duration.ofSeconds(10));
        }
    }

    /** Settings of a {@link DbTeleport}; only the connection factory and one cache limit are required. */
    public static final class Builder {
        /** {@link #maxEntryBytes} when only {@link #maxEntries} is set. */
        public static final int DEFAULT_MAX_ENTRY_BYTES = 64 << 20;
        /** The largest byte array the JVM allocates. */
        private static final int MAX_ENTRY_BYTES = Integer.MAX_VALUE - 8;

        private final DatabaseConnections connections = new DatabaseConnections(8);
        private long maxEntries;
        private long maxBytes;
        private MeterRegistry registry;
        private String channel = DEFAULT_CHANNEL;
        private String name;
        private Executor executor = ForkJoinPool.commonPool();
        private InvalidationListener invalidationListener;
        private long maxEntryBytes;
        private ByteBufAllocator allocator = UnpooledByteBufAllocator.DEFAULT;

        private Builder() {
        }

        /**
         * Where queries run. An r2dbc-pool {@code ConnectionPool} is used as it is (and the listener connects
         * through the factory it wraps); any other factory gets a pool of {@link #poolSize} connections that
         * {@link DbTeleport#close()} closes.
         */
        public Builder connectionFactory(ConnectionFactory factory) {
            connections.factory(factory);
            return this;
        }

        /** Where the LISTEN connection comes from, when it must differ (e.g. bypass PgBouncer); never a pool. */
        public Builder listenerConnectionFactory(ConnectionFactory factory) {
            connections.listenerFactory(factory);
            return this;
        }

        /** At most this many entries (0: no limit on the count; then set {@link #maxBytes}). */
        public Builder maxEntries(long maxEntries) {
            this.maxEntries = maxEntries;
            return this;
        }

        /** At most this many bytes of cached responses (0: no limit on the bytes; then set {@link #maxEntries}). */
        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        /**
         * The largest result one query may produce, in encoded bytes; by default {@link #maxBytes}, or
         * {@value #DEFAULT_MAX_ENTRY_BYTES} bytes (64 MiB) when only {@link #maxEntries} is set. At most
         * {@code maxBytes} when that is set. The size is checked after every row as the rows stream in: the
         * first row past the limit stops the query, and the call fails with {@link ResultTooLargeException}
         * (HBTP: RESOURCE_EXHAUSTED). The encoding buffer never grows past the limit plus a quarter (at least
         * 4 KiB), so an oversized result costs no more memory than one that fits.
         */
        public Builder maxEntryBytes(long maxEntryBytes) {
            if (maxEntryBytes < 1 || maxEntryBytes > MAX_ENTRY_BYTES) {
                throw new IllegalArgumentException("maxEntryBytes must be between 1 and " + MAX_ENTRY_BYTES
                        + ", got " + maxEntryBytes);
            }
            this.maxEntryBytes = maxEntryBytes;
            return this;
        }

        /** Where the encoding buffers come from; unpooled heap buffers by default. */
        Builder allocator(ByteBufAllocator allocator) {
            this.allocator = Objects.requireNonNull(allocator, "allocator");
            return this;
        }

        /** The per-entry limit in force: the one set, else the default described at {@link #maxEntryBytes(long)}. */
        int maxEntryBytes() {
            if (maxEntryBytes == 0) {
                return (int) (maxBytes > 0 ? Math.min(maxBytes, MAX_ENTRY_BYTES) : DEFAULT_MAX_ENTRY_BYTES);
            }
            if (maxBytes > 0 && maxEntryBytes > maxBytes) {
                throw new IllegalArgumentException("maxEntryBytes (" + maxEntryBytes + ") must not exceed maxBytes ("
                        + maxBytes + "): such a result could never be cached");
            }
            return (int) maxEntryBytes;
        }

        /** Where the metrics go; by default a registry of the cache's own ({@link DbTeleport#meterRegistry()}). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The NOTIFY channel: a plain identifier of at most 48 bytes; {@value DbTeleport#DEFAULT_CHANNEL} by default. */
        public Builder channel(String channel) {
            this.channel = channel;
            return this;
        }

        /** The {@code cache} tag of the metrics; the channel by default. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Size of the pool created when {@link #connectionFactory} is not a pool; 8 by default. */
        public Builder poolSize(int poolSize) {
            connections.poolSize(poolSize);
            return this;
        }

        /** Listener reconnects wait from {@code initial}, doubling up to {@code max}, with jitter; 50 ms to 5 s. */
        public Builder reconnectBackoff(Duration initial, Duration max) {
            connections.reconnectBackoff(initial, max);
            return this;
        }

        /** Longest wait for the listener to connect and LISTEN, or for a health check; 10 s by default. */
        public Builder connectTimeout(Duration timeout) {
            connections.connectTimeout(timeout);
            return this;
        }

        /**
         * How often the listener's connection is checked with {@code SELECT 1} ({@code Duration.ZERO}: never);
         * 5 s by default. A connection that died without a word is noticed within this time plus the timeout.
         */
        public Builder healthCheckInterval(Duration interval) {
            connections.healthCheckInterval(interval);
            return this;
        }

        /** Runs evictions after a notification and Caffeine's maintenance; the common pool by default. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Told when entries stop being served (see {@link InvalidationListener}); none by default. */
        public Builder invalidationListener(InvalidationListener listener) {
            this.invalidationListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * A started cache: the listener connects in the background ({@link DbTeleport#ready()}).
         *
         * @throws IllegalArgumentException for a missing factory, a bad channel or bad limits
         */
        public DbTeleport build() {
            return new DbTeleport(this);
        }
    }

}
