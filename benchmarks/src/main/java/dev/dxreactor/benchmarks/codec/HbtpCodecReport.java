package dev.dxreactor.benchmarks.codec;

import dev.dxreactor.benchmarks.ForkEnvironment;
import dev.dxreactor.benchmarks.JmhUnsafeWarningFilter;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs {@link HbtpCodecBenchmark} and writes {@code benchmarks/results/hbtp-codec.md}: per payload size,
 * HBTP and baseline time per frame, their ratio, and the bar.
 *
 * <p>The machines this runs on are shared and noisy, so a ratio is only trusted when both sides were
 * measured close together, several times: the run is made of rounds, and each round measures every
 * comparison's two sides back to back, each in a fresh JVM, alternating which side goes first. A ratio
 * is the median of the per-round ratios.
 *
 * <p>Settings (system properties): {@code dx.bench.rounds} (5), {@code dx.bench.warmupIterations} (3),
 * {@code dx.bench.warmupMillis} (400), {@code dx.bench.measurementIterations} (5),
 * {@code dx.bench.measurementMillis} (200),
 * {@code dx.bench.sizes} (all of the benchmark's payload sizes), {@code dx.bench.operations}
 * (all of {@link #COMPARISONS}, e.g. {@code decode}), {@code dx.bench.jvmArgs} (added to the
 * forked JVMs' flags, space separated), {@code dx.bench.out} (the results file),
 * {@code dx.bench.verbose} (JMH's own output).
 */
public final class HbtpCodecReport {

    /**
     * One row per payload size: an HBTP benchmark, the baseline it is compared with, and the bar on
     * hbtp / baseline ({@code null}: reported without a bar). Compressed and encrypted variants add rows.
     */
    record Comparison(String operation, String hbtp, String baseline, Double bar, String measures) {
    }

    static final List<Comparison> COMPARISONS = List.of(
            new Comparison("decode", "hbtpDecode", "baselineDecode", 1.2,
                    "one read of " + HbtpCodecBenchmark.FRAMES + " frames through the pipeline; HBTP "
                            + "validates each header and emits an `HbtpFrame` with a retained payload slice, "
                            + "the baseline "
                            + "`LengthFieldBasedFrameDecoder(LITTLE_ENDIAN, Integer.MAX_VALUE, 4, 4, 0, 0, true)` "
                            + "emits a retained slice of each whole frame (header included) and reads nothing "
                            + "but the length"),
            new Comparison("encode", "hbtpEncode", "baselineEncode", null,
                    HbtpCodecBenchmark.FRAMES + " writes and one flush; HBTP gets a new `HbtpFrame` per "
                            + "write (allocated in the measured loop) and writes header and payload into one "
                            + "exact-size buffer, the baseline `RawFrameEncoder` (a "
                            + "`MessageToByteEncoder<ByteBuf>`) gets the payload buffer and writes the same "
                            + "8-byte header and payload into one exact-size buffer, checking nothing"));

    private static final String BENCHMARK = HbtpCodecBenchmark.class.getName();
    private static final String RESULTS_NAME = "hbtp-codec.md";

    private final int rounds = Integer.getInteger("dx.bench.rounds", 5);
    // Warm-up by time: C2 has compiled these loops within the first ~500 ms here. Measurement by many
    // short iterations, whose median shrugs off a burst of load from other processes.
    private final int warmupIterations = Integer.getInteger("dx.bench.warmupIterations", 3);
    private final int warmupMillis = Integer.getInteger("dx.bench.warmupMillis", 400);
    private final int measurementIterations = Integer.getInteger("dx.bench.measurementIterations", 5);
    private final int measurementMillis = Integer.getInteger("dx.bench.measurementMillis", 200);
    private final boolean verbose = Boolean.getBoolean("dx.bench.verbose");
    private final List<Integer> sizes;
    private final List<Comparison> comparisons;
    private final List<String> jvmArgs;
    private final Path environmentFile;

    /** Per benchmark method and payload size, the figure of each round in ns per frame. */
    private final Map<String, List<Double>> figures = new HashMap<>();

    private HbtpCodecReport(Path environmentFile) {
        this.environmentFile = environmentFile;
        this.sizes = parseSizes(System.getProperty("dx.bench.sizes", defaultSizes()));
        this.comparisons = selectComparisons(System.getProperty("dx.bench.operations", ""));
        List<String> args = new ArrayList<>(List.of(HbtpCodecBenchmark.NATIVE_ACCESS,
                HbtpCodecBenchmark.NO_LEAK_DETECTION));
        String extra = System.getProperty("dx.bench.jvmArgs", "").strip();
        if (!extra.isEmpty()) {
            args.addAll(Arrays.asList(extra.split("\\s+")));
        }
        this.jvmArgs = List.copyOf(args);
    }

    public static void main(String[] args) throws Exception {
        JmhUnsafeWarningFilter.install();
        Path out = resultsFile();
        Path env = Files.createTempFile("dx-bench-env", ".properties");
        try {
            HbtpCodecReport report = new HbtpCodecReport(env);
            long start = System.nanoTime();
            report.measure();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String markdown = report.render(ForkEnvironment.read(env), took);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, markdown, StandardCharsets.UTF_8);
            System.out.println();
            System.out.print(report.summary());
            System.out.println("wrote " + out + " (" + took.toSeconds() + " s)");
        } finally {
            Files.deleteIfExists(env);
        }
    }

    /** {@code benchmarks/results/} from the project root, or {@code results/} from benchmarks/ itself. */
    private static Path resultsFile() {
        String configured = System.getProperty("dx.bench.out");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path module = Files.isDirectory(Path.of("benchmarks", "src")) ? Path.of("benchmarks") : Path.of(".");
        return module.resolve("results").resolve(RESULTS_NAME);
    }

    private void measure() throws RunnerException {
        int runs = rounds * sizes.size() * comparisons.size() * 2;
        double perRunSeconds = (warmupIterations * warmupMillis + measurementIterations * measurementMillis)
                / 1000.0 + 1.0;
        System.out.printf(Locale.ROOT, "hbtp-codec: %d rounds x %d sizes x %d comparisons x 2 sides = %d JVM "
                        + "forks, about %.0f s; forked JVM flags: %s%n",
                rounds, sizes.size(), comparisons.size(), runs, runs * perRunSeconds, String.join(" ", jvmArgs));
        for (int round = 0; round < rounds; round++) {
            for (int s = 0; s < sizes.size(); s++) {
                int size = sizes.get(s);
                for (Comparison c : comparisons) {
                    // Alternating who goes first keeps a slow drift of the machine from favouring one side.
                    boolean hbtpFirst = (round + s) % 2 == 0;
                    String first = hbtpFirst ? c.hbtp() : c.baseline();
                    String second = hbtpFirst ? c.baseline() : c.hbtp();
                    double a = run(first, size);
                    double b = run(second, size);
                    double hbtp = hbtpFirst ? a : b;
                    double baseline = hbtpFirst ? b : a;
                    System.out.printf(Locale.ROOT, "round %d/%d %6d B %-7s hbtp %8.1f ns  baseline %8.1f ns  "
                                    + "ratio %.3f%n", round + 1, rounds, size, c.operation(), hbtp, baseline,
                            hbtp / baseline);
                }
            }
        }
    }

    /**
     * One fresh JVM measuring one benchmark at one size: the median of its measurement iterations, so that
     * one iteration hit by another process on the machine does not move the figure.
     */
    private double run(String method, int size) throws RunnerException {
        List<String> forkArgs = new ArrayList<>(jvmArgs);
        forkArgs.add("-D" + ForkEnvironment.FILE_PROPERTY + "=" + environmentFile);
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(BENCHMARK + "." + method) + "$")
                .param("payloadSize", String.valueOf(size))
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.NANOSECONDS)
                .forks(1)
                .warmupForks(0)
                .warmupIterations(warmupIterations)
                .warmupTime(TimeValue.milliseconds(warmupMillis))
                .measurementIterations(measurementIterations)
                .measurementTime(TimeValue.milliseconds(measurementMillis))
                // Set here rather than inherited from this JVM, so that every fork gets the same flags
                // however the runner itself was started; the empty append replaces the annotation's.
                .jvmArgs(forkArgs.toArray(String[]::new))
                .jvmArgsAppend()
                .shouldFailOnError(true)
                .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT)
                .build();
        Collection<RunResult> results;
        try {
            results = new Runner(options).run();
        } catch (RunnerException e) {
            throw new RunnerException(method + " at " + size + " B failed"
                    + (verbose ? "" : "; -Ddx.bench.verbose=true shows the forked JVM's output"), e);
        }
        if (results.size() != 1) {
            throw new IllegalStateException(results.size() + " results for " + method + " at " + size
                    + " B; is the benchmark list in the jar current?");
        }
        double figure = median(results.iterator().next().getBenchmarkResults().stream()
                .flatMap(b -> b.getIterationResults().stream())
                .mapToDouble(i -> i.getPrimaryResult().getScore())
                .toArray());
        figures.computeIfAbsent(key(method, size), k -> new ArrayList<>()).add(figure);
        return figure;
    }

    private String summary() {
        StringBuilder sb = new StringBuilder();
        for (int size : sizes) {
            for (Comparison c : comparisons) {
                Row r = row(c, size);
                sb.append(String.format(Locale.ROOT, "%6d B %-7s hbtp %8.1f ns  baseline %8.1f ns  ratio %.2fx  %s%n",
                        size, c.operation(), r.hbtp, r.baseline, r.ratio, r.verdict()));
            }
        }
        return sb.toString();
    }

    private String render(Properties env, Duration took) {
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        StringBuilder md = new StringBuilder();
        md.append("# hbtp-codec: HBTP frame codec vs Netty length-field framing\n\n");
        md.append("Written by `dev.dxreactor.benchmarks.codec.HbtpCodecReport` on ").append(now)
                .append("; rerun it (command in `benchmarks/README.md`) rather than editing this file.\n\n");

        for (Comparison c : COMPARISONS) {
            if (c.bar() == null) {
                continue;
            }
            String verdict = comparisons.contains(c) ? "PASS" : "not measured";
            for (int size : sizes) {
                if (comparisons.contains(c) && "FAIL".equals(row(c, size).verdict())) {
                    verdict = "FAIL";
                }
            }
            md.append(String.format(Locale.ROOT, "**Bar:** plain %s <= %.1fx the baseline's time per frame, at "
                    + "every payload size. **This run: %s.**%n%n", c.operation(), c.bar(), verdict));
        }
        md.append("Figures come from a shared, noisy machine (").append(env.getProperty("os", "?"))
                .append("): the ns are for orientation only and are not comparable between runs; only the "
                        + "ratios, measured in the same run and interleaved, matter. The spread of the "
                        + "per-round ratios shows how far to trust a ratio.\n\n");

        for (int size : sizes) {
            md.append("## ").append(sizeLabel(size)).append(" payload\n\n");
            md.append("| operation | hbtp ns/frame | baseline ns/frame | hbtp / baseline | per-round ratios "
                    + "(min - max) | bar | result |\n");
            md.append("| --- | ---: | ---: | ---: | ---: | --- | --- |\n");
            for (Comparison c : comparisons) {
                Row r = row(c, size);
                md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2fx | %.2f - %.2f | %s | %s |%n",
                        c.operation(), r.hbtp, r.baseline, r.ratio, r.minRatio, r.maxRatio,
                        c.bar() == null ? "none (reported only)" : String.format(Locale.ROOT, "<= %.1fx", c.bar()),
                        r.verdict()));
            }
            md.append('\n');
        }

        md.append("## What each benchmark measures\n\n");
        md.append("Both sides run in an `EmbeddedChannel` (one per side, same pipeline costs), on direct "
                + "buffers from Netty's default allocator, with payloads of ")
                .append(String.join(", ", sizes.stream().map(HbtpCodecReport::sizeLabel).toList()))
                .append(". One operation is one frame: each invocation handles ").append(HbtpCodecBenchmark.FRAMES)
                .append(" frames and JMH divides by that. Every output goes to a JMH `Blackhole` and is "
                        + "released; the frame count is checked on every invocation, and before timing each "
                        + "fork checks that both decoders return the stream's frames and both encoders write "
                        + "exactly the stream's bytes (same 8-byte header: opcode, flags, u16 sequence, "
                        + "u32 little-endian length).\n\n");
        for (Comparison c : comparisons) {
            md.append("- **").append(c.operation()).append("** (`").append(c.hbtp()).append("` vs `")
                    .append(c.baseline()).append("`): ").append(c.measures()).append(".\n");
        }
        md.append("\nNot measured yet: the compressed (zstd) and encrypted (AEAD) variants.\n\n");

        md.append("## How it was run\n\n");
        md.append("| | |\n| --- | --- |\n");
        md.append("| JDK | ").append(env.getProperty("java.version", "?")).append(", ")
                .append(env.getProperty("java.vm", "?")).append(" |\n");
        md.append("| OS, CPUs | ").append(env.getProperty("os", "?")).append(" |\n");
        md.append("| Netty | ").append(env.getProperty("netty.version", "?")).append(", allocator ")
                .append(env.getProperty("netty.allocator", "?")).append(", leak detection ")
                .append(env.getProperty("netty.leakDetection", "?")).append(" |\n");
        md.append("| `sun.misc.Unsafe` in Netty | ").append(unsafeLine(env)).append(" |\n");
        md.append("| JVM flags we set | `").append(String.join(" ", jvmArgs)).append("`: the tests' "
                + "`--enable-native-access=ALL-UNNAMED`, and leak detection disabled (the tests run it "
                + "paranoid, which would be measured too) |\n");
        md.append("| JVM flags as seen in a fork | `").append(env.getProperty("jvm.args", "?"))
                .append("` (the rest are JMH's own) |\n");
        md.append(String.format(Locale.ROOT, "| JMH | %s, average time, ns per frame; %d rounds, each forking a "
                        + "fresh JVM per side and size: %d x %d ms warm-up, %d x %d ms measured; the two sides "
                        + "back to back, alternating which goes first. A round's figure is the median of its "
                        + "measured iterations; a ratio is the median of the per-round ratios, a time the "
                        + "median of the per-round figures |%n",
                jmhVersion(), rounds, warmupIterations, warmupMillis, measurementIterations, measurementMillis));
        md.append("| Wall time | ").append(took.toSeconds()).append(" s |\n\n");

        md.append("## Per-round figures\n\n");
        md.append("ns per frame, each the median of the round's measured iterations.\n\n");
        md.append("| payload | benchmark |");
        for (int r = 1; r <= rounds; r++) {
            md.append(" round ").append(r).append(" |");
        }
        md.append("\n| --- | --- |");
        md.append(" ---: |".repeat(rounds));
        md.append('\n');
        for (int size : sizes) {
            for (Comparison c : comparisons) {
                for (String method : List.of(c.hbtp(), c.baseline())) {
                    md.append("| ").append(sizeLabel(size)).append(" | `").append(method).append("` |");
                    for (double v : figures.get(key(method, size))) {
                        md.append(String.format(Locale.ROOT, " %.1f |", v));
                    }
                    md.append('\n');
                }
            }
        }
        return md.toString();
    }

    private static String unsafeLine(Properties env) {
        String unsafe = env.getProperty("netty.unsafe");
        if (unsafe == null) {
            return "?";
        }
        if (Boolean.parseBoolean(unsafe)) {
            return "used";
        }
        String cause = env.getProperty("netty.unsafe.cause", "");
        return "not used by either side" + (cause.isEmpty() ? "" : "; Netty says: " + cause);
    }

    private static String jmhVersion() {
        return "JMH " + org.openjdk.jmh.util.Version.getPlainVersion();
    }

    private Row row(Comparison c, int size) {
        List<Double> h = figures.get(key(c.hbtp(), size));
        List<Double> b = figures.get(key(c.baseline(), size));
        double[] ratios = new double[h.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = h.get(i) / b.get(i);
        }
        return new Row(median(h), median(b), median(ratios), min(ratios), max(ratios), c.bar());
    }

    private record Row(double hbtp, double baseline, double ratio, double minRatio, double maxRatio, Double bar) {
        String verdict() {
            return bar == null ? "-" : ratio <= bar ? "PASS" : "FAIL";
        }
    }

    private static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }

    private static String key(String method, int size) {
        return method + "@" + size;
    }

    private static String sizeLabel(int size) {
        return size >= 1024 && size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
    }

    private static String defaultSizes() {
        try {
            String[] values = HbtpCodecBenchmark.class.getField("payloadSize")
                    .getAnnotation(org.openjdk.jmh.annotations.Param.class).value();
            return String.join(",", values);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Comparison> selectComparisons(String csv) {
        if (csv.isBlank()) {
            return COMPARISONS;
        }
        List<String> wanted = Arrays.stream(csv.split(",")).map(String::strip).toList();
        List<Comparison> out = COMPARISONS.stream().filter(c -> wanted.contains(c.operation())).toList();
        if (out.size() != wanted.size()) {
            throw new IllegalArgumentException("dx.bench.operations=" + csv + ": known operations are "
                    + COMPARISONS.stream().map(Comparison::operation).toList());
        }
        return out;
    }

    private static List<Integer> parseSizes(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s.strip()));
        }
        return List.copyOf(out);
    }
}
