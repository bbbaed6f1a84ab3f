package dev.dxreactor.benchmarks.fileio;

import dev.dxreactor.benchmarks.ForkEnvironment;
import dev.dxreactor.benchmarks.report.Chart;
import dev.dxreactor.benchmarks.report.Environment;
import dev.dxreactor.benchmarks.report.Interleaved;
import dev.dxreactor.benchmarks.report.MarkdownTable;
import dev.dxreactor.benchmarks.report.ReportRun;
import dev.dxreactor.benchmarks.report.RoundFigures;
import dev.dxreactor.benchmarks.report.Stats;
import dev.dxreactor.fileio.BatchRead;
import dev.dxreactor.fileio.FileIoConfig;
import dev.dxreactor.fileio.PlatformFiles;
import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.ReactorConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * file-io: reading 1,000 files of 4 KiB and of 64 KiB with the page cache warm and with the files dropped from it
 * before every batch, five ways in the same JVM and the same interleaved rounds: dx-fileio's io_uring batch on a
 * DxReactor's io_uring loops (and on one loop of its own), dx-fileio's fallback backend (FileChannel on virtual
 * threads), {@code Files.readAllBytes} in a loop, and {@code Files.readAllBytes} on a fixed thread pool. Writes
 * {@code benchmarks/results/file-io.md} with PNG charts.
 *
 * <p>Settings (system properties): {@code dx.bench.rounds} (5), {@code dx.bench.files} (1000),
 * {@code dx.bench.warmupSeconds} (3: how long each variant reads each size in the untimed first round),
 * {@code dx.bench.warmupBatches} (5), {@code dx.bench.batches} (15), {@code dx.bench.coldBatches} (5, after one
 * warm-up batch; 0 leaves the cold cache out), {@code dx.bench.dir} (a temporary directory), {@code dx.bench.out}.
 */
public final class FileIoReport {

    static final String URING = "io_uring batch";
    static final String URING_ONE = "io_uring, 1 loop";
    static final String FALLBACK = "fallback batch";
    static final String LOOP = "readAllBytes loop";
    static final String POOL = "readAllBytes pool";
    static final List<String> VARIANTS = List.of(URING, URING_ONE, FALLBACK, LOOP, POOL);
    static final int[] SIZES = {4 * 1024, 64 * 1024};
    static final double BAR = 1.5;
    /** The size the bar judges. */
    static final int BAR_SIZE = 4 * 1024;

    /** One table of the report: a file size, read from the page cache or with the files dropped from it. */
    record Case(int size, boolean cold) {
        String label() {
            return kib(size) + (cold ? ", cold" : ", warm");
        }
    }
    /** Submission queue size of the reactor's loops: a phase of a loop's share of the batch fits in one. */
    static final int RING_ENTRIES = 1024;
    /** The allocator the backends read into: Netty's default ({@code adaptive} in 4.2) unless set to pooled. */
    static final ByteBufAllocator ALLOCATOR = "pooled".equals(System.getProperty("dx.bench.allocator"))
            ? PooledByteBufAllocator.DEFAULT : ByteBufAllocator.DEFAULT;

    private FileIoReport() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("dx.bench.rounds", 5);
        int fileCount = Integer.getInteger("dx.bench.files", 1000);
        int warmupSeconds = Integer.getInteger("dx.bench.warmupSeconds", 3);
        int warmup = Integer.getInteger("dx.bench.warmupBatches", 5);
        int batches = Integer.getInteger("dx.bench.batches", 15);
        int coldBatches = Integer.getInteger("dx.bench.coldBatches", 5);
        int poolThreads = Runtime.getRuntime().availableProcessors();
        String dirProperty = System.getProperty("dx.bench.dir");
        Path base = dirProperty == null ? Files.createTempDirectory("dx-file-io") : Path.of(dirProperty);
        try (ReportRun run = ReportRun.start("file-io")) {
            System.setProperty(ForkEnvironment.FILE_PROPERTY,
                    run.environmentFlag().substring(("-D" + ForkEnvironment.FILE_PROPERTY + "=").length()));
            ForkEnvironment.recordIfRequested();
            Map<Integer, List<Path>> trees = new LinkedHashMap<>();
            for (int size : SIZES) {
                trees.put(size, writeTree(base.resolve(String.valueOf(size)), fileCount, size));
            }
            Map<Case, RoundFigures> figures = new LinkedHashMap<>();
            List<Case> cases = new ArrayList<>();
            int reactorLoops;
            try (DxReactor reactor = DxReactor.builder().transport("io_uring")
                    .config(ReactorConfig.builder().ringEntries(RING_ENTRIES).build()).build();
                 PlatformFiles uring = PlatformFiles.ioUring(FileIoConfig.builder().reactor(reactor).build());
                 PlatformFiles uringOne = PlatformFiles.ioUring(FileIoConfig.defaults());
                 PlatformFiles fallback = PlatformFiles.fallback(FileIoConfig.defaults());
                 ExecutorService pool = Executors.newFixedThreadPool(poolThreads)) {
                reactorLoops = reactor.workerCount();
                Map<String, Batch> variants = Map.of(
                        URING, paths -> readBatch(uring, paths),
                        URING_ONE, paths -> readBatch(uringOne, paths),
                        FALLBACK, paths -> readBatch(fallback, paths),
                        LOOP, FileIoReport::readLoop,
                        POOL, paths -> readOnPool(pool, paths));
                for (int size : SIZES) {
                    checkIdentical(trees.get(size));
                    cases.add(new Case(size, false));
                }
                String coldNote = coldBatches > 0 ? coldCacheCheck(trees) : "not measured (dx.bench.coldBatches=0)";
                if (coldNote == null) {
                    for (int size : SIZES) {
                        cases.add(new Case(size, true));
                    }
                }
                cases.forEach(c -> figures.put(c, new RoundFigures()));
                System.out.printf(Locale.ROOT, "file-io: %d rounds of %s x %s, %d files each, %d warm-up + %d "
                        + "timed batches warm, %d cold%n", rounds, VARIANTS, cases.stream().map(Case::label).toList(),
                        fileCount, warmup, batches, coldBatches);
                // An untimed round first, long enough for the JIT to compile every variant's code: the loop-based
                // backends run more code of their own than readAllBytes, and a count of batches left them still
                // compiling in the first timed rounds.
                for (String variant : VARIANTS) {
                    for (int size : SIZES) {
                        warmUp(variants.get(variant), trees.get(size), warmupSeconds);
                    }
                }
                Interleaved.run(rounds, VARIANTS, (round, variant) -> {
                    for (Case c : cases) {
                        double micros = c.cold()
                                ? measure(variants.get(variant), trees.get(c.size()), 1, coldBatches, true)
                                : measure(variants.get(variant), trees.get(c.size()), warmup, batches, false);
                        figures.get(c).add(variant, micros);
                        System.out.printf(Locale.ROOT, "round %d  %-18s %-12s %10.0f us per batch%n",
                                round + 1, variant, c.label(), micros);
                    }
                });
                Environment env = run.finish();
                String fileSystem = fileSystemOf(base);
                Settings settings = new Settings(rounds, fileCount, warmupSeconds, warmup, batches, coldBatches,
                        poolThreads,
                        reactorLoops, fileSystem, coldNote);
                run.publish(env, render(env, figures, settings), charts(figures), summary(figures));
            }
        } finally {
            if (dirProperty == null) {
                deleteTree(base);
            }
        }
    }

    /** One batch: every file read whole; returns the bytes read, so the work cannot be skipped. */
    @FunctionalInterface
    interface Batch {
        long read(List<Path> paths) throws Exception;
    }

    static long readBatch(PlatformFiles files, List<Path> paths) {
        ByteBufAllocator alloc = ALLOCATOR;
        long bytes = 0;
        try (BatchRead batch = files.batchRead(paths, alloc).join()) {
            for (int i = 0; i < batch.size(); i++) {
                bytes += batch.get(i).content().readableBytes();
            }
        }
        return bytes;
    }

    static long readLoop(List<Path> paths) throws IOException {
        long bytes = 0;
        for (Path path : paths) {
            bytes += Files.readAllBytes(path).length;
        }
        return bytes;
    }

    static long readOnPool(ExecutorService pool, List<Path> paths) throws Exception {
        List<Future<byte[]>> reads = new ArrayList<>(paths.size());
        for (Path path : paths) {
            reads.add(pool.submit(() -> Files.readAllBytes(path)));
        }
        long bytes = 0;
        for (Future<byte[]> read : reads) {
            bytes += read.get().length;
        }
        return bytes;
    }

    /** What the report says about how it ran. */
    record Settings(int rounds, int fileCount, int warmupSeconds, int warmup, int batches, int coldBatches,
                    int poolThreads,
                    int reactorLoops, String fileSystem, String coldNote) {
    }

    /** Reads {@code paths} with {@code batch} again and again for {@code seconds}, untimed. */
    static void warmUp(Batch batch, List<Path> paths, int seconds) throws Exception {
        long expected = 0;
        for (Path path : paths) {
            expected += Files.size(path);
        }
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        do {
            check(batch.read(paths), expected);
        } while (System.nanoTime() < end);
    }

    /**
     * Median microseconds per batch over {@code batches} timed batches, after {@code warmup} untimed ones; when
     * {@code cold}, the files are dropped from the page cache before each batch (not timed).
     */
    static double measure(Batch batch, List<Path> paths, int warmup, int batches, boolean cold) throws Exception {
        long expected = 0;
        for (Path path : paths) {
            expected += Files.size(path);
        }
        for (int i = 0; i < warmup; i++) {
            if (cold) {
                PageCache.evict(paths);
            }
            check(batch.read(paths), expected);
        }
        double[] micros = new double[batches];
        for (int i = 0; i < batches; i++) {
            if (cold) {
                PageCache.evict(paths);
            }
            long start = System.nanoTime();
            long bytes = batch.read(paths);
            micros[i] = (System.nanoTime() - start) / 1000.0;
            check(bytes, expected);
        }
        return Stats.median(micros);
    }

    private static void check(long bytes, long expected) {
        if (bytes != expected) {
            throw new IllegalStateException("read " + bytes + " bytes, expected " + expected);
        }
    }

    /** Before anything is timed: every variant returns every file byte for byte. */
    static void checkIdentical(List<Path> paths) throws IOException {
        try (PlatformFiles uring = PlatformFiles.ioUring(FileIoConfig.defaults());
             PlatformFiles fallback = PlatformFiles.fallback(FileIoConfig.defaults());
             BatchRead a = uring.batchRead(paths, PooledByteBufAllocator.DEFAULT).join();
             BatchRead b = fallback.batchRead(paths, PooledByteBufAllocator.DEFAULT).join()) {
            for (int i = 0; i < paths.size(); i++) {
                byte[] jdk = Files.readAllBytes(paths.get(i));
                if (!Arrays.equals(jdk, ByteBufUtil.getBytes(a.get(i).content()))
                        || !Arrays.equals(jdk, ByteBufUtil.getBytes(b.get(i).content()))) {
                    throw new IllegalStateException("backends disagree on " + paths.get(i));
                }
            }
        }
    }

    /**
     * Null when dropping the files from the page cache works here (checked with mincore on every file after one
     * eviction), else why the cold-cache rows are left out.
     */
    static String coldCacheCheck(Map<Integer, List<Path>> trees) {
        try {
            for (Map.Entry<Integer, List<Path>> tree : trees.entrySet()) {
                PageCache.evict(tree.getValue());
                long resident = PageCache.residentPages(tree.getValue(), tree.getKey());
                if (resident > 0) {
                    return "not measured: " + resident + " pages of the " + kib(tree.getKey())
                            + " files stayed cached after posix_fadvise(DONTNEED)";
                }
                readLoop(tree.getValue());
            }
            return null;
        } catch (IOException | RuntimeException | LinkageError e) {
            return "not measured: dropping the files from the page cache failed here (" + e + ")";
        }
    }

    static List<Path> writeTree(Path dir, int count, int size) throws IOException {
        Random random = new Random(size);
        List<Path> paths = new ArrayList<>(count);
        byte[] data = new byte[size];
        for (int i = 0; i < count; i++) {
            Path sub = Files.createDirectories(dir.resolve("d" + (i / 100)));
            random.nextBytes(data);
            paths.add(Files.write(sub.resolve("f" + i), data));
        }
        // Warm the page cache: every variant reads from memory, none from the device.
        readLoop(paths);
        return paths;
    }

    static String fileSystemOf(Path dir) {
        try {
            String target = dir.toRealPath().toString();
            String best = "";
            String type = "unknown";
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && target.startsWith(f[1]) && f[1].length() > best.length()) {
                    best = f[1];
                    type = f[2];
                }
            }
            return type + " (mounted at " + best + ")";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Speed-up of io_uring over the faster JDK way in each round: the JDK time over io_uring's. */
    static double[] speedUps(RoundFigures f) {
        double[] uring = f.of(URING);
        double[] loop = f.of(LOOP);
        double[] pool = f.of(POOL);
        double[] out = new double[uring.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(loop[i], pool[i]) / uring[i];
        }
        return out;
    }

    static String summary(Map<Case, RoundFigures> figures) {
        StringBuilder sb = new StringBuilder();
        figures.forEach((c, f) -> {
            for (String v : VARIANTS) {
                sb.append(String.format(Locale.ROOT, "%-12s %-18s %10.0f us per batch%n", c.label(), v,
                        f.median(v)));
            }
            sb.append(String.format(Locale.ROOT, "%-12s io_uring speed-up over the fastest JDK way: %.2fx%n",
                    c.label(), Stats.median(speedUps(f))));
        });
        return sb.toString();
    }

    static String render(Environment env, Map<Case, RoundFigures> figures, Settings settings) {
        StringBuilder md = new StringBuilder();
        md.append("# file-io: reading 1,000 files with dx-fileio's io_uring batch, its fallback and the JDK\n\n");
        md.append(env.writtenBy(FileIoReport.class, ""));
        md.append("Figures come from a shared, noisy machine (").append(env.os()).append(", other people's builds "
                + "running at the same time): absolute numbers are for orientation only; the ratios are measured in "
                + "the same run, round by round.\n\n");
        md.append("## Results\n\n");
        md.append(String.format(Locale.ROOT, "Each figure is the median over %d rounds of a round's median time to "
                + "read all %d files whole. **Warm**: %d timed batches after %d warm-up batches per variant and "
                + "size, every file in the page cache, after an untimed round in which every variant read each size for %d s (so "
                + "that each one's code is compiled before it is timed). **Cold**: %d timed "
                + "batches after one warm-up batch, every file of the size dropped from the page cache before each "
                + "batch (`fdatasync` and `posix_fadvise(POSIX_FADV_DONTNEED)` on each of the benchmark's own files, "
                + "not timed; `mincore` confirmed once that no page stayed cached). Only the benchmark's files are "
                + "dropped: nothing else on the machine is evicted. Cold rows: %s.%n%n", settings.rounds(),
                settings.fileCount(), settings.batches(), settings.warmup(), settings.warmupSeconds(),
                settings.coldBatches(),
                settings.coldNote() == null ? "measured" : settings.coldNote()));
        MarkdownTable table = new MarkdownTable().left("file size, cache").left("variant").right("µs per batch")
                .right("lowest - highest round").right("files/s").right("time / io_uring batch (median of the rounds)");
        figures.forEach((c, f) -> {
            for (String v : VARIANTS) {
                table.row(c.label(), v, String.format(Locale.ROOT, "%.0f", f.median(v)),
                        String.format(Locale.ROOT, "%.0f - %.0f", f.min(v), f.max(v)),
                        String.format(Locale.ROOT, "%.0f", settings.fileCount() / (f.median(v) / 1e6)),
                        String.format(Locale.ROOT, "%.2f", f.medianRatio(v, URING)));
            }
        });
        md.append(table.render()).append('\n');
        md.append("## The bar\n\n");
        MarkdownTable bar = new MarkdownTable().left("file size, cache")
                .right("io_uring speed-up over the fastest JDK way").left("bar").left("met");
        figures.forEach((c, f) -> {
            double speedUp = Stats.median(speedUps(f));
            boolean judged = c.size() == BAR_SIZE;
            bar.row(c.label(), String.format(Locale.ROOT, "%.2fx", speedUp), judged ? ">= 1.5x" : "none",
                    judged ? (speedUp >= BAR ? "yes" : "**no**") : "-");
        });
        md.append(bar.render()).append('\n');
        md.append("The speed-up is, per round, the faster of the two JDK ways (`Files.readAllBytes` in a loop, or on a "
                + "fixed pool) divided by the io_uring batch's time, then the median of the rounds.\n\n");
        md.append("## What each variant does\n\n");
        md.append(String.format(Locale.ROOT, "- **io_uring batch**: `PlatformFiles.ioUring(FileIoConfig.builder()"
                + ".reactor(reactor).build()).batchRead(paths, ByteBufAllocator.DEFAULT)` on the %d event loops of a "
                + "`DxReactor` on the io_uring transport (one per CPU, Netty's `IoUringIoHandler`, rings of "
                + RING_ENTRIES + " entries), the batch offered "
                + "to both loops at once, each claiming files while it runs fewer than 128; per file OPENAT, one READ "
                + "into a direct buffer from the allocator (16 KiB at first, then sized from the files the loop read "
                + "last, at most 128 KiB; handed over without a copy), CLOSE, the "
                + "same phase of a loop's running files submitted together (no STATX: a read that comes back short "
                + "is the whole file); buffers released after the batch.%n",
                settings.reactorLoops()));
        md.append("- **io_uring, 1 loop**: the same on one io_uring loop of its own "
                + "(`PlatformFiles.ioUring(defaults)`, a ring of 1024 entries), for what one loop does alone.\n");
        md.append("- **fallback batch**: `PlatformFiles.fallback(defaults).batchRead(...)`: one virtual thread per "
                + "file, `FileChannel` open, size, read into a buffer from the allocator, close.\n");
        md.append("- **readAllBytes loop**: `Files.readAllBytes` on each file in turn, on the calling thread.\n");
        md.append(String.format(Locale.ROOT, "- **readAllBytes pool**: `Files.readAllBytes` per file on a "
                + "`newFixedThreadPool(%d)` (one thread per CPU), all submitted, then collected.%n%n",
                settings.poolThreads()));
        md.append("Before timing, every file is read by both backends and compared byte for byte with "
                + "`Files.readAllBytes`; every timed batch checks the total byte count.\n\n");
        md.append(env.howItWasRun()
                .jdkOsAndLoad()
                .netty()
                .row("File system", settings.fileSystem())
                .row("Rounds", String.format(Locale.ROOT, "%d, each measuring every variant in every case, the order "
                        + "of the variants reversed every other round; one JVM, not JMH forks", settings.rounds()))
                .wallTime()
                .render());
        md.append("## Per-round figures\n\n");
        md.append("µs per batch (median of the round's timed batches); the even-numbered rounds ran in reverse "
                + "order.\n\n");
        MarkdownTable perRound = MarkdownTable.perRound(settings.rounds(), "");
        figures.forEach((c, f) -> {
            for (String v : VARIANTS) {
                perRound.row("%.0f", f.of(v), c.label() + ", " + v);
            }
            perRound.row("%.2f", speedUps(f), c.label() + ", speed-up over the fastest JDK way");
        });
        md.append(perRound.render());
        return md.toString();
    }

    static List<Chart> charts(Map<Case, RoundFigures> figures) {
        List<Chart> charts = new ArrayList<>();
        figures.forEach((c, f) -> charts.add(Chart.medians("batch-" + c.size() / 1024 + "k" + (c.cold() ? "-cold" : ""),
                "Reading 1,000 files of " + c.label() + " (median, lowest and highest round)", "µs per batch", f,
                VARIANTS)));
        Map<String, double[]> speedUps = new LinkedHashMap<>();
        figures.forEach((c, f) -> speedUps.put(c.label(), speedUps(f)));
        charts.add(Chart.ratios("speed-up", "io_uring batch speed-up over the fastest JDK way, per round",
                speedUps, BAR));
        return charts;
    }

    private static String kib(int size) {
        return size / 1024 + " KiB";
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
