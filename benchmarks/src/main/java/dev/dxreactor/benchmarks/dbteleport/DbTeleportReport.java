package dev.dxreactor.benchmarks.dbteleport;

import dev.dxreactor.benchmarks.ForkEnvironment;
import dev.dxreactor.benchmarks.JmhUnsafeWarningFilter;
import dev.dxreactor.dbteleport.CacheEntry;
import dev.dxreactor.dbteleport.DbTeleport;
import io.micrometer.core.instrument.Counter;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs {@link DbTeleportBenchmark} (one JVM fork per benchmark, JMH's GC profiler on) and the invalidation
 * latency run, and writes {@code benchmarks/results/db-teleport.md}.
 */
public final class DbTeleportReport {

    private static final String RESULTS_NAME = "db-teleport.md";
    private static final List<String> METHODS = List.of("hbtpCachedHit", "hbtpQuery", "directR2dbcQuery", "cacheHit",
            "keyOnly");

    private final int warmupIterations = Integer.getInteger("dx.bench.warmupIterations", 3);
    private final int measurementIterations = Integer.getInteger("dx.bench.measurementIterations", 5);
    private final int iterationMillis = Integer.getInteger("dx.bench.iterationMillis", 1000);
    private final int commits = Integer.getInteger("dx.bench.commits", 2000);
    private final boolean verbose = Boolean.getBoolean("dx.bench.verbose");
    private final Map<String, double[]> results = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        JmhUnsafeWarningFilter.install();
        DbTeleportReport report = new DbTeleportReport();
        Path env = Files.createTempFile("dx-bench-env", ".properties");
        try {
            long start = System.nanoTime();
            double loadStart = load();
            for (String method : METHODS) {
                report.run(method, env);
            }
            Latency latency = report.invalidationLatency();
            double loadEnd = load();
            String md = report.render(ForkEnvironment.read(env), latency, loadStart, loadEnd,
                    Duration.ofNanos(System.nanoTime() - start));
            Path out = resultsFile();
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, md, StandardCharsets.UTF_8);
            System.out.print(md);
            System.out.println("wrote " + out);
        } finally {
            Files.deleteIfExists(env);
        }
    }

    private static Path resultsFile() {
        String configured = System.getProperty("dx.bench.out");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path module = Files.isDirectory(Path.of("benchmarks", "src")) ? Path.of("benchmarks") : Path.of(".");
        return module.resolve("results").resolve(RESULTS_NAME);
    }

    /** One fresh JVM for one benchmark: the median of its iterations (ns/op) and bytes allocated per op. */
    private void run(String method, Path env) throws Exception {
        System.out.println("db-teleport: " + method + " ...");
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(DbTeleportBenchmark.class.getName() + "." + method) + "$")
                .forks(1)
                .warmupIterations(warmupIterations)
                .warmupTime(TimeValue.milliseconds(iterationMillis))
                .measurementIterations(measurementIterations)
                .measurementTime(TimeValue.milliseconds(iterationMillis))
                .jvmArgsAppend("-D" + ForkEnvironment.FILE_PROPERTY + "=" + env)
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT)
                .build();
        Collection<RunResult> run = new Runner(options).run();
        RunResult result = run.iterator().next();
        double[] scores = result.getBenchmarkResults().stream().flatMap(b -> b.getIterationResults().stream())
                .mapToDouble(i -> i.getPrimaryResult().getScore()).sorted().toArray();
        Result allocated = result.getSecondaryResults().get("gc.alloc.rate.norm");
        results.put(method, new double[]{scores[scores.length / 2], allocated == null ? Double.NaN
                : allocated.getScore()});
    }

    record Latency(Histogram fromCommit, Histogram afterCommitReturned, int commits, String database) {
    }

    /**
     * Commits an UPDATE to the cached query's table {@link #commits} times (after 200 unrecorded ones) and
     * times each from just before COMMIT to the moment the cache has applied the notification (from then
     * on reads miss), spinning on the cache's invalidation counter. After each one a read must be a miss
     * that returns the new price, and is cached again for the next commit.
     */
    private Latency invalidationLatency() throws Exception {
        System.out.println("db-teleport: invalidation latency over " + commits + " commits ...");
        Histogram fromCommit = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Histogram afterReturn = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        try (BenchDatabase db = new BenchDatabase()) {
            ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration.builder(db.connectionFactory())
                    .maxSize(2).build());
            try (DbTeleport cache = DbTeleport.builder().connectionFactory(pool).maxEntries(100).build();
                 Connection writer = db.jdbc(); Statement s = writer.createStatement()) {
                cache.registerQuery("items", BenchDatabase.QUERY, Set.of(BenchDatabase.TABLE), BenchDatabase.ENCODER);
                cache.installTriggers().toCompletableFuture().get(30, TimeUnit.SECONDS);
                cache.awaitReady(Duration.ofSeconds(30));
                Counter invalidations = cache.meterRegistry().find("dx.dbteleport.invalidations").counter();
                writer.setAutoCommit(false);
                CacheEntry cached = cache.get("items", List.of(1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                for (int i = 0; i < commits + 200; i++) {
                    s.executeUpdate("UPDATE " + BenchDatabase.TABLE + " SET price_cents = price_cents + 1 WHERE id = 1");
                    double before = invalidations.count();
                    long t0 = System.nanoTime();
                    writer.commit();
                    long t1 = System.nanoTime();
                    long deadline = t0 + TimeUnit.SECONDS.toNanos(10);
                    while (invalidations.count() == before) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("no invalidation 10 s after commit " + i);
                        }
                        Thread.onSpinWait();
                    }
                    long t2 = System.nanoTime();
                    if (i >= 200) {
                        fromCommit.recordValue(t2 - t0);
                        afterReturn.recordValue(Math.max(0, t2 - t1));
                    }
                    CacheEntry fresh = cache.get("items", List.of(1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                    if (fresh == cached || Long.compareUnsigned(fresh.version(), cached.version()) <= 0) {
                        throw new IllegalStateException("commit " + i + " was not followed by a miss");
                    }
                    cached = fresh;
                }
            } finally {
                pool.close().block(Duration.ofSeconds(10));
            }
            return new Latency(fromCommit, afterReturn, commits, db.describe());
        }
    }

    private String render(Properties env, Latency latency, double loadStart, double loadEnd, Duration took) {
        double hit = results.get("hbtpCachedHit")[0];
        double hbtpQuery = results.get("hbtpQuery")[0];
        double direct = results.get("directR2dbcQuery")[0];
        double inProcess = results.get("cacheHit")[0];
        double hitAlloc = results.get("cacheHit")[1];
        double keyAlloc = results.get("keyOnly")[1];
        double beyondKey = hitAlloc - keyAlloc;
        double p50 = latency.fromCommit().getValueAtPercentile(50) / 1e6;
        double p99 = latency.fromCommit().getValueAtPercentile(99) / 1e6;

        boolean speedBar = direct / hit >= 100;
        boolean latencyBar = p99 <= 10;
        boolean allocBar = beyondKey < 1;
        StringBuilder md = new StringBuilder();
        md.append("# db-teleport: cached hits against the query, invalidation latency, allocation per hit\n\n");
        md.append("Written by `dev.dxreactor.benchmarks.dbteleport.DbTeleportReport` on ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(" in ").append(took.toSeconds()).append(" s; rerun it (command in `benchmarks/README.md`) "
                        + "rather than editing this file.\n\n");
        md.append("The query: `").append(BenchDatabase.QUERY).append("`, 20 rows encoded to ")
                .append("a binary body (id, name, price) by the same `RowEncoder` on every path; ")
                .append(latency.database()).append(".\n\n");

        md.append("## Bars\n\n| bar | this run | verdict |\n| --- | --- | --- |\n");
        md.append(String.format(Locale.ROOT, "| cached hit through HBTP >= 100x faster than the direct R2DBC query "
                + "| %.1fx | %s |%n", direct / hit, speedBar ? "PASS" : "FAIL"));
        md.append(String.format(Locale.ROOT, "| invalidation p99 (COMMIT to miss) <= 10 ms on loopback | %.2f ms | %s |%n",
                p99, latencyBar ? "PASS" : "FAIL"));
        md.append(String.format(Locale.ROOT, "| zero allocation per hit beyond the key | %.1f B | %s |%n%n", beyondKey,
                allocBar ? "PASS" : "FAIL"));

        md.append("## Time per read (same run; median of ").append(measurementIterations)
                .append(" iterations of ").append(iterationMillis).append(" ms, one fork each)\n\n");
        md.append("| benchmark | what | ns/op | allocated B/op | query time / this |\n| --- | --- | ---: | ---: | ---: |\n");
        row(md, "hbtpCachedHit", "HBTP call on loopback answered by `DbTeleportRoute` from the cache", direct);
        row(md, "hbtpQuery", "HBTP call on loopback answered by running the query (no cache)", direct);
        row(md, "directR2dbcQuery", "the query over R2DBC (pooled connection) and the encoder, in process", direct);
        row(md, "cacheHit", "`DbTeleport.get` hit in process (key, lookup, completed stage)", direct);
        row(md, "keyOnly", "allocating a key of the cache key's shape (`List.of(param)` and a 24-byte object)", direct);
        md.append(String.format(Locale.ROOT, "%nThrough HBTP the cache answers %.1fx faster than the same route "
                + "running the query (%.0f ns against %.0f ns).%n%n", hbtpQuery / hit, hit, hbtpQuery));

        md.append("## Invalidation latency\n\n");
        md.append("From just before `COMMIT` of an UPDATE (JDBC, auto-commit off) to the moment the cache has applied "
                + "the notification, after which the read is a miss with the new data (checked after every commit). "
                + latency.commits() + " commits after 200 unrecorded ones; HdrHistogram.\n\n");
        md.append("| measured from | p50 | p99 | p99.9 | max |\n| --- | ---: | ---: | ---: | ---: |\n");
        latencyRow(md, "before COMMIT (includes the commit's own WAL flush)", latency.fromCommit());
        latencyRow(md, "COMMIT returned to the writer", latency.afterCommitReturned());

        md.append("\n## Allocation per hit\n\n");
        md.append(String.format(Locale.ROOT, "JMH `-prof gc` (`gc.alloc.rate.norm`): `cacheHit` %.1f B/op, "
                + "`keyOnly` %.1f B/op, difference %.1f B/op. The hit path itself (lookup, staleness check, counter, "
                + "completed stage built with the entry) allocates %s.%n%n", hitAlloc, keyAlloc, beyondKey,
                allocBar ? "nothing" : "the difference"));

        md.append("## Environment\n\n");
        md.append("- JDK ").append(env.getProperty("java.version", "?")).append(", ")
                .append(env.getProperty("os", "?")).append("; Netty ").append(env.getProperty("netty.version", "?"))
                .append("\n- forked JVM flags: `").append(env.getProperty("jvm.args", "?")).append("`\n");
        md.append(String.format(Locale.ROOT, "- load average %.2f at the start, %.2f at the end (a shared 2-core "
                + "machine: absolute times are for orientation, ratios are the result)%n", loadStart, loadEnd));
        return md.toString();
    }

    private void row(StringBuilder md, String method, String what, double direct) {
        double[] r = results.get(method);
        md.append(String.format(Locale.ROOT, "| `%s` | %s | %.0f | %.1f | %.1fx |%n", method, what, r[0], r[1],
                direct / r[0]));
    }

    private static void latencyRow(StringBuilder md, String what, Histogram h) {
        md.append(String.format(Locale.ROOT, "| %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms |%n", what,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6));
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
