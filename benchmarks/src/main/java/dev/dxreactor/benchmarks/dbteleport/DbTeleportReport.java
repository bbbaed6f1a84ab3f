package dev.dxreactor.benchmarks.dbteleport;

import dev.dxreactor.benchmarks.ReportSupport;
import dev.dxreactor.benchmarks.report.Chart;
import dev.dxreactor.benchmarks.report.Environment;
import dev.dxreactor.benchmarks.report.Interleaved;
import dev.dxreactor.benchmarks.report.ReportRun;
import dev.dxreactor.benchmarks.report.RoundFigures;
import dev.dxreactor.benchmarks.report.Stats;
import dev.dxreactor.dbteleport.CacheEntry;
import dev.dxreactor.dbteleport.DbTeleport;
import dev.dxreactor.dbteleport.InvalidationListener;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs {@link DbTeleportServerBenchmark} and {@link DbTeleportBenchmark} (one JVM fork per benchmark, JMH's
 * GC profiler on) and the invalidation latency run, and writes {@code benchmarks/results/db-teleport.md}.
 */
public final class DbTeleportReport {

    private static final String RESULTS_NAME = "db-teleport";
    private static final List<String> METHODS = List.of("serverCachedHit", "serverNotModified", "hbtpCachedHit",
            "hbtpQuery", "directR2dbcQuery", "loopbackFloor", "hbtpCachedHitInFlight64", "hbtpCachedHitZstdInFlight64", "hbtpQueryInFlight64",
            "directR2dbcQueryInFlight64", "cacheHit", "keyOnly");

    private final int warmupIterations = Integer.getInteger("dx.bench.warmupIterations", 3);
    private final int measurementIterations = Integer.getInteger("dx.bench.measurementIterations", 5);
    private final int iterationMillis = Integer.getInteger("dx.bench.iterationMillis", 1000);
    private final int commits = Integer.getInteger("dx.bench.commits", 2000);
    private final int rounds = Integer.getInteger("dx.bench.rounds", 3);
    private final boolean verbose = Boolean.getBoolean("dx.bench.verbose");
    /** Per benchmark, each round's median iteration in ns/op. */
    private final RoundFigures medians = new RoundFigures();
    /** Per benchmark, each round's allocated B/op. */
    private final RoundFigures allocations = new RoundFigures();
    /** Per benchmark, each round's fastest iteration in ns/op. */
    private final RoundFigures fastest = new RoundFigures();
    /** Per benchmark, each round's slowest iteration in ns/op. */
    private final RoundFigures slowest = new RoundFigures();

    public static void main(String[] args) throws Exception {
        DbTeleportReport report = new DbTeleportReport();
        try (ReportRun run = ReportRun.start(RESULTS_NAME)) {
            // Every benchmark once per round, so that a busy spell of the machine lands on all of them, not
            // on one; the order is reversed every other round.
            Interleaved.run(report.rounds, METHODS, (round, method) -> report.run(method, run, round));
            double loadBetween = Environment.loadAverage();
            Latency latency = report.invalidationLatency();
            Environment env = run.finish();
            String md = report.render(env, latency, loadBetween);
            run.publish(env, md, report.charts(), md);
        }
    }

    /**
     * One fresh JVM for one benchmark: the median of its iterations (ns/op), bytes allocated per op, and
     * the fastest and slowest iteration.
     */
    private void run(String method, ReportRun run, int round) throws Exception {
        System.out.println("db-teleport: round " + (round + 1) + " of " + rounds + ", " + method + " ...");
        Options options = new OptionsBuilder()
                .include(ReportSupport.exactly(benchmarkClass(method), method))
                .forks(1)
                .warmupIterations(warmupIterations)
                .warmupTime(TimeValue.milliseconds(iterationMillis))
                .measurementIterations(measurementIterations)
                .measurementTime(TimeValue.milliseconds(iterationMillis))
                .jvmArgsAppend(run.environmentFlag())
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT)
                .build();
        RunResult result = ReportSupport.runOne(options, method, verbose);
        double[] scores = ReportSupport.iterationScores(result);
        Arrays.sort(scores);
        Result allocated = result.getSecondaryResults().get("gc.alloc.rate.norm");
        // The upper median for an even count, as this report has always taken it.
        medians.add(method, scores[scores.length / 2]);
        allocations.add(method, allocated == null ? Double.NaN : allocated.getScore());
        fastest.add(method, scores[0]);
        slowest.add(method, scores[scores.length - 1]);
    }

    /** The one-call-in-flight benchmarks' medians with their rounds' spread, and the speed bar's rounds. */
    private List<Chart> charts() {
        Map<String, double[]> speed = new LinkedHashMap<>();
        speed.put("directR2dbcQuery / serverCachedHit", ratios("directR2dbcQuery", "serverCachedHit"));
        speed.put("directR2dbcQuery / hbtpCachedHit (no bar)", ratios("directR2dbcQuery", "hbtpCachedHit"));
        return List.of(
                Chart.medians("medians", "ns per read, one call in flight (median iteration of each round)", "ns/op",
                        medians, List.of("serverCachedHit", "serverNotModified", "hbtpCachedHit", "hbtpQuery",
                                "directR2dbcQuery", "loopbackFloor")),
                Chart.ratios("speed-ratios", "query time / cached hit time per round, bar >= 100x", speed, 100));
    }

    /** The server-side benchmarks have a class of their own; everything else is in {@link DbTeleportBenchmark}. */
    private static Class<?> benchmarkClass(String method) {
        return method.startsWith("server") ? DbTeleportServerBenchmark.class : DbTeleportBenchmark.class;
    }

    record Latency(Histogram fromCommit, Histogram afterCommitReturned, Histogram waiterWoke, int commits,
                   String database) {
    }

    /**
     * Commits an UPDATE to the cached query's table {@link #commits} times (after 200 unrecorded ones) and
     * times each from just before COMMIT to the moment the cache has applied the notification (from then
     * on reads miss): the cache's {@link InvalidationListener} takes that time on the listener's thread
     * and hands it over through a queue this thread waits on, parked, so that the wait takes no CPU from
     * the listener or PostgreSQL. After each one a read must be a miss that returns the new price, and is
     * cached again for the next commit.
     */
    private Latency invalidationLatency() throws Exception {
        System.out.println("db-teleport: invalidation latency over " + commits + " commits ...");
        Histogram fromCommit = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Histogram afterReturn = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Histogram woke = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        BlockingQueue<Long> applied = new LinkedBlockingQueue<>();
        try (BenchDatabase db = new BenchDatabase()) {
            ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration.builder(db.connectionFactory())
                    .maxSize(2).build());
            try (DbTeleport cache = DbTeleport.builder().connectionFactory(pool).maxEntries(100)
                    .invalidationListener(table -> applied.add(System.nanoTime())).build();
                 Connection writer = db.jdbc(); Statement s = writer.createStatement()) {
                cache.registerQuery("items", BenchDatabase.QUERY, Set.of(BenchDatabase.TABLE), BenchDatabase.ENCODER);
                cache.installTriggers().toCompletableFuture().get(30, TimeUnit.SECONDS);
                cache.awaitReady(Duration.ofSeconds(30));
                writer.setAutoCommit(false);
                CacheEntry cached = cache.get("items", List.of(1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                for (int i = 0; i < commits + 200; i++) {
                    s.executeUpdate("UPDATE " + BenchDatabase.TABLE + " SET price_cents = price_cents + 1 WHERE id = 1");
                    long t0 = System.nanoTime();
                    writer.commit();
                    long t1 = System.nanoTime();
                    Long t2 = applied.poll(10, TimeUnit.SECONDS);
                    long t3 = System.nanoTime();
                    if (t2 == null) {
                        throw new IllegalStateException("no invalidation 10 s after commit " + i);
                    }
                    if (i >= 200) {
                        fromCommit.recordValue(t2 - t0);
                        afterReturn.recordValue(Math.max(0, t2 - t1));
                        woke.recordValue(t3 - t0);
                    }
                    CacheEntry fresh = cache.get("items", List.of(1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                    if (fresh == cached || Long.compareUnsigned(fresh.version(), cached.version()) <= 0) {
                        throw new IllegalStateException("commit " + i + " was not followed by a miss");
                    }
                    cached = fresh;
                }
                if (!applied.isEmpty()) {
                    throw new IllegalStateException(applied.size() + " invalidations more than commits");
                }
            } finally {
                pool.close().block(Duration.ofSeconds(10));
            }
            return new Latency(fromCommit, afterReturn, woke, commits, db.describe());
        }
    }

    private String render(Environment env, Latency latency, double loadBetween) {
        double[] loads = {env.loadAtStart(), loadBetween, env.loadAtEnd()};
        double serverHit = median("serverCachedHit");
        double serverNotModified = median("serverNotModified");
        double hit = median("hbtpCachedHit");
        double hbtpQuery = median("hbtpQuery");
        double direct = median("directR2dbcQuery");
        double floor = median("loopbackFloor");
        double hit64 = median("hbtpCachedHitInFlight64");
        double zstd64 = median("hbtpCachedHitZstdInFlight64");
        double hbtpQuery64 = median("hbtpQueryInFlight64");
        double direct64 = median("directR2dbcQueryInFlight64");
        double hitAlloc = allocated("cacheHit");
        double keyAlloc = allocated("keyOnly");
        double beyondKey = hitAlloc - keyAlloc;
        double p50 = latency.fromCommit().getValueAtPercentile(50) / 1e6;
        double p99 = latency.fromCommit().getValueAtPercentile(99) / 1e6;

        double[] speedRatios = ratios("directR2dbcQuery", "serverCachedHit");
        double[] endToEndRatios = ratios("directR2dbcQuery", "hbtpCachedHit");
        double[] speedRatios64 = ratios("directR2dbcQueryInFlight64", "hbtpCachedHitInFlight64");
        double speed = Stats.median(speedRatios);
        double endToEnd = Stats.median(endToEndRatios);
        double speed64 = Stats.median(speedRatios64);
        boolean speedBar = speed >= 100;
        boolean latencyBar = p99 <= 10;
        boolean allocBar = beyondKey < 1;
        String transport = BenchTransport.best().name();
        StringBuilder md = new StringBuilder();
        md.append("# db-teleport: cached hits against the query, invalidation latency, allocation per hit\n\n");
        md.append(env.writtenBy(DbTeleportReport.class, " in " + env.took().toSeconds() + " s"));
        md.append("The query: `").append(BenchDatabase.QUERY).append("`, 20 rows encoded to ")
                .append("a binary body (id, name, price) by the same `RowEncoder` on every path; ")
                .append(latency.database()).append("; HBTP server and client on one event loop each (")
                .append(transport).append("), clients without zstd unless named `Zstd`.\n\n");

        md.append("## Bars\n\n| bar | this run | verdict |\n| --- | --- | --- |\n");
        md.append(String.format(Locale.ROOT, "| cached hit through HBTP, server side (request frame in to response "
                + "frame out on the server's pipeline) >= 100x faster than the direct R2DBC query | %.0fx (rounds: %s) "
                + "| %s |%n", speed, listed(speedRatios), speedBar ? "PASS" : "FAIL"));
        md.append(String.format(Locale.ROOT, "| invalidation p99 (COMMIT to miss) <= 10 ms on loopback | %.2f ms | %s |%n",
                p99, latencyBar ? "PASS" : "FAIL"));
        md.append(String.format(Locale.ROOT, "| zero allocation per hit beyond the key | %.1f B | %s |%n", beyondKey,
                allocBar ? "PASS" : "FAIL"));
        md.append(String.format(Locale.ROOT, "| end to end on loopback, one call in flight (`hbtpCachedHit`) | %.1fx "
                + "(rounds: %s) | reported, no bar |%n", endToEnd, listed(endToEndRatios)));
        md.append(String.format(Locale.ROOT, "| end to end on loopback, %d calls in flight (`hbtpCachedHitInFlight64` "
                + "against `directR2dbcQueryInFlight64`) | %.1fx (rounds: %s) | reported, no bar |%n%n",
                DbTeleportBenchmark.IN_FLIGHT, speed64, listed(speedRatios64)));
        md.append(String.format(Locale.ROOT, "**Reading.** The speed bar is judged where the cache acts. A client pays "
                + "the round trip to the server (its own thread, the socket both ways, the server's loop) whether "
                + "the server answers from the cache or runs the query, so that part is the same with or without the "
                + "cache; what the cache replaces is the query. The bar therefore compares what the server spends "
                + "answering a read from the cache through HBTP (`serverCachedHit`: the request frame a real client "
                + "sends, written into the pipeline the HBTP server installs on an accepted connection, with the same "
                + "router and `DbTeleportRoute`, up to the response frame that pipeline hands to the socket; %.2f us) "
                + "with the direct R2DBC query for the same rows (`directR2dbcQuery`, %.1f us), each ratio from one "
                + "round and the figure the median of the rounds; on the fastest iteration of each, the least "
                + "disturbed by the machine's other work, the ratio is %.0fx (%.1f us against %.2f us). End to end, "
                + "with one call in flight, a hit is only %.1fx faster than the query, because its time is mostly "
                + "the loopback round trip: the bare round trip over Netty on the same transport and threads, with "
                + "no protocol and no cache, takes %.1f us (fastest iteration %.1f us) against %.1f us (%.1f us) for "
                + "the hit. With %d calls in flight the round trips overlap and the ratio is %.1fx. A call that "
                + "carries the current version is answered NOT_MODIFIED on the server in %.2f us "
                + "(`serverNotModified`).%n%n",
                serverHit / 1e3, direct / 1e3, fastest("directR2dbcQuery") / fastest("serverCachedHit"),
                fastest("directR2dbcQuery") / 1e3, fastest("serverCachedHit") / 1e3, endToEnd, floor / 1e3,
                fastest("loopbackFloor") / 1e3, hit / 1e3, fastest("hbtpCachedHit") / 1e3,
                DbTeleportBenchmark.IN_FLIGHT, speed64, serverNotModified / 1e3));

        md.append("## Time per read, one call in flight\n\n");
        md.append("Each benchmark ran once per round (").append(rounds).append(" rounds, one fork each, ")
                .append(warmupIterations).append(" warm-up and ").append(measurementIterations)
                .append(" measured iterations of ").append(iterationMillis).append(" ms); ns/op is the median of the "
                        + "rounds' medians, next to each round's median and the fastest and slowest iteration of all "
                        + "rounds.\n\n");
        md.append(TABLE_HEAD);
        row(md, "serverCachedHit", "server side: a real client's RPC_CALL for a cached key written into the HBTP "
                + "server's pipeline (embedded channel, after the handshake), the response frame read back", direct);
        row(md, "serverNotModified", "server side: the same call carrying the current version, answered "
                + "NOT_MODIFIED", direct);
        row(md, "hbtpCachedHit", "HBTP call on loopback answered by `DbTeleportRoute` from the cache", direct);
        row(md, "hbtpQuery", "HBTP call on loopback answered by running the query (no cache)", direct);
        row(md, "directR2dbcQuery", "the query over R2DBC (pooled connection) and the encoder, in process", direct);
        row(md, "loopbackFloor", "the same bytes over bare Netty on loopback: same transport, threads and hand-offs, "
                + "no protocol", direct);
        row(md, "cacheHit", "`DbTeleport.get` hit in process (key, lookup, completed stage)", direct);
        row(md, "keyOnly", "allocating a key of the cache key's shape (`List.of(param)` and a 24-byte object)", direct);
        md.append(String.format(Locale.ROOT, "%nThrough HBTP the cache answers %.1fx faster than the same route "
                + "running the query (%.0f ns against %.0f ns).%n%n", hbtpQuery / hit, hit, hbtpQuery));

        md.append(String.format(Locale.ROOT, "## Time per read, %d calls in flight%n%n", DbTeleportBenchmark.IN_FLIGHT));
        md.append("One thread keeps the calls going: it waits only when all of them are in flight. ns/op is the time "
                + "per completed call (the inverse of the throughput); the pool has 4 connections on every path.\n\n");
        md.append(TABLE_HEAD);
        row(md, "hbtpCachedHitInFlight64", "HBTP calls answered from the cache", direct64);
        row(md, "hbtpCachedHitZstdInFlight64", "the same with HBTP's default client, which agrees to zstd: every hit "
                + "is compressed again", direct64);
        row(md, "hbtpQueryInFlight64", "HBTP calls answered by running the query", direct64);
        row(md, "directR2dbcQueryInFlight64", "the query over R2DBC, in process", direct64);
        md.append(String.format(Locale.ROOT, "%nThat is %.0f cached reads per second through HBTP against %.0f "
                + "queries per second.%n%n", 1e9 / hit64, 1e9 / direct64));

        md.append("## Where a hit's time goes\n\n");
        String share = hit > floor
                ? String.format(Locale.ROOT, "so the protocol, the route and the cache add %.1f us (%.0f%%)",
                (hit - floor) / 1e3, 100 * (hit - floor) / hit)
                : "so in this run the protocol, the route and the cache cost less than the noise of the round trip";
        md.append(String.format(Locale.ROOT, "On the server a hit takes %.2f us from the request frame to the response "
                + "frame (`serverCachedHit`): decoding the frame, dispatching the call, the route's parameters and "
                + "key, the cache lookup (%.0f ns of it, `cacheHit` in process) and writing the response with its "
                + "version metadata into the connection's output buffer. The bar allows %.2f us (the query's time "
                + "over 100); %s.%n%n", serverHit / 1e3, median("cacheHit"), direct / 100 / 1e3,
                serverHit <= direct / 100 ? String.format(Locale.ROOT, "the hit uses %.0f%% of that",
                        100 * serverHit / (direct / 100))
                        : String.format(Locale.ROOT, "the hit takes %.1fx that", serverHit / (direct / 100))));
        md.append(String.format(Locale.ROOT, "End to end, one HBTP hit takes %.1f us; the same round trip over bare Netty "
                + "on the same transport and threads takes %.1f us, %s. The rest is the loopback round trip with "
                + "four thread hand-offs (caller, client loop, server loop, client loop, caller), each a wakeup "
                + "through the kernel; each side writes one frame and flushes once per call (the client once per "
                + "turn of its loop, the server once per read burst). The fastest iterations of all rounds, the "
                + "least disturbed by the machine's other work, are %.1f us for the hit and %.1f us for the bare "
                + "round trip. With %d calls in flight the hand-offs are shared by many calls and a hit costs "
                + "%.1f us.%n%n", hit / 1e3, floor / 1e3, share, fastest("hbtpCachedHit") / 1e3,
                fastest("loopbackFloor") / 1e3, DbTeleportBenchmark.IN_FLIGHT, hit64 / 1e3));
        md.append(String.format(Locale.ROOT, "With zstd agreed (HBTP's default) the ~560-byte cached body is over the "
                + "512-byte threshold and is compressed on every hit: %.1f us against %.1f us per call with %d in "
                + "flight.%n%n", zstd64 / 1e3, hit64 / 1e3, DbTeleportBenchmark.IN_FLIGHT));

        md.append("## Invalidation latency\n\n");
        md.append("From just before `COMMIT` of an UPDATE (JDBC, auto-commit off) to the moment the cache has applied "
                + "the notification, after which the read is a miss with the new data (checked after every commit). "
                + "The moment is taken by the cache's `InvalidationListener` on the listener's thread; the measuring "
                + "thread waits for it parked, without spinning. " + latency.commits()
                + " commits after 200 unrecorded ones; HdrHistogram.\n\n");
        md.append("| measured from | to | p50 | p99 | p99.9 | max |\n| --- | --- | ---: | ---: | ---: | ---: |\n");
        latencyRow(md, "before COMMIT (includes the commit's own WAL flush)", "cache applied", latency.fromCommit());
        latencyRow(md, "COMMIT returned to the writer", "cache applied", latency.afterCommitReturned());
        latencyRow(md, "before COMMIT", "measuring thread woke", latency.waiterWoke());

        md.append("\n## Allocation per hit\n\n");
        md.append(String.format(Locale.ROOT, "JMH `-prof gc` (`gc.alloc.rate.norm`): `cacheHit` %.1f B/op, "
                + "`keyOnly` %.1f B/op, difference %.1f B/op. The hit path itself (lookup, staleness check, counter, "
                + "completed stage built with the entry) allocates %s. Through HBTP a hit allocates %.0f B/op "
                + "(server and client together, request buffer and call future included); on the server's pipeline "
                + "alone (`serverCachedHit`, request frame in to response frame out) %.0f B/op, and %.0f B/op for "
                + "NOT_MODIFIED.%n%n", hitAlloc, keyAlloc,
                beyondKey, allocBar ? "nothing" : "the difference", allocated("hbtpCachedHit"),
                allocated("serverCachedHit"), allocated("serverNotModified")));

        md.append("## Environment\n\n");
        md.append("- JDK ").append(env.fork("java.version")).append(", ")
                .append(env.os()).append("; Netty ").append(env.fork("netty.version"))
                .append("; HBTP transport ").append(transport).append(" (").append(BenchTransport.best().why())
                .append(")\n- forked JVM flags: `").append(env.fork("jvm.args")).append("`; the server-side "
                        + "benchmarks (`serverCachedHit`, `serverNotModified`) add `-Djmh.executor=CUSTOM "
                        + "-Djmh.executor.class=dev.dxreactor.benchmarks.dbteleport.EventLoopThreads`, so that their "
                        + "benchmark thread is a Netty event-loop kind of thread (`FastThreadLocalThread`), as the "
                        + "server's pipeline runs on one\n");
        md.append(String.format(Locale.ROOT, "- load average %.2f at the start, %.2f before the invalidation run, %.2f "
                + "at the end, on %d CPUs shared with other work%s%n", loads[0], loads[1], loads[2],
                Runtime.getRuntime().availableProcessors(), busy(loads) ? ": the machine was busy, so absolute times "
                        + "are for orientation and the iterations' spread shows how much they moved" : ""));
        return md.toString();
    }

    private static boolean busy(double[] loads) {
        int cpus = Runtime.getRuntime().availableProcessors();
        for (double load : loads) {
            if (load > cpus / 2.0) {
                return true;
            }
        }
        return false;
    }

    /** The median over the rounds of each round's median. */
    private double median(String method) {
        return medians.median(method);
    }

    private double fastest(String method) {
        return fastest.min(method);
    }

    private double allocated(String method) {
        return allocations.median(method);
    }

    /** {@code query} time over {@code method} time in each round, in round order. */
    private double[] ratios(String query, String method) {
        return medians.ratios(query, method);
    }

    private static final String TABLE_HEAD = "| benchmark | what | ns/op | per round | fastest..slowest iteration "
            + "| allocated B/op | query time / this |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n";

    private static String listed(double[] ratios) {
        StringBuilder sb = new StringBuilder();
        for (double r : ratios) {
            sb.append(sb.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.1fx", r));
        }
        return sb.toString();
    }

    private void row(StringBuilder md, String method, String what, double query) {
        String perRound = Arrays.stream(medians.of(method)).mapToObj(x -> String.format(Locale.ROOT, "%.0f", x))
                .collect(Collectors.joining(", "));
        md.append(String.format(Locale.ROOT, "| `%s` | %s | %.0f | %s | %.0f..%.0f | %.1f | %.1fx |%n", method, what,
                median(method), perRound, fastest(method), slowest.max(method), allocated(method),
                query / median(method)));
    }

    private static void latencyRow(StringBuilder md, String from, String to, Histogram h) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms |%n", from, to,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6));
    }
}
