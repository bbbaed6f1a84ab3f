package dev.dxreactor.benchmarks.teleport;

import dev.dxreactor.benchmarks.ForkEnvironment;
import dev.dxreactor.benchmarks.JmhUnsafeWarningFilter;
import dev.dxreactor.benchmarks.ReportSupport;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.dxreactor.benchmarks.ReportSupport.jmhVersion;
import static dev.dxreactor.benchmarks.ReportSupport.loadAverage;
import static dev.dxreactor.benchmarks.ReportSupport.max;
import static dev.dxreactor.benchmarks.ReportSupport.min;
import static dev.dxreactor.benchmarks.ReportSupport.resultsFile;
import static dev.dxreactor.benchmarks.ReportSupport.unsafeLine;

/**
 * Runs {@link TeleportCodecBenchmark} and writes {@code benchmarks/results/teleport-codec.md}: teleport's
 * encode and read times against SBE, protobuf, FlatBuffers and Jackson on the same message, their ratios,
 * and the three bars of the design notes (read <= 1.0x SBE, encode <= 1.2x SBE, read >= 10x faster than
 * protobuf).
 *
 * <p>The machines this runs on are shared and noisy, so a ratio is only trusted when both sides were
 * measured close together, several times: the run is made of rounds, and each round measures every
 * benchmark once, back to back, each in a fresh JVM, in an order that puts each bar's two sides next to each
 * other and is reversed every other round. A round's figure is the fastest of many short measured iterations
 * (other processes only ever add time); a ratio is the median of the per-round ratios, a time the median of
 * the per-round figures. The same ratios taken of each round's median iteration are reported beside them.
 *
 * <p>Settings (system properties): {@code dx.bench.rounds} (7), {@code dx.bench.warmupIterations} (3),
 * {@code dx.bench.slowWarmupIterations} (8, for Jackson), {@code dx.bench.warmupMillis} (400), {@code dx.bench.measurementIterations} (15),
 * {@code dx.bench.measurementMillis} (100), {@code dx.bench.jvmArgs} (added to the forked JVMs' flags, space
 * separated), {@code dx.bench.out} (the results file), {@code dx.bench.verbose} (JMH's own output).
 */
public final class TeleportCodecReport {

    /**
     * One row: a teleport benchmark, the peer's it is compared with ({@code reference}, named by
     * {@code against}), and the bar on their ratio, teleport's time over the peer's ({@code null}: reported
     * without a bar).
     */
    record Comparison(String operation, String method, String reference, String against, Double bar) {

        String barText() {
            if (bar == null) {
                return "none (reported only)";
            }
            String text = String.format(Locale.ROOT, "<= %.2fx", bar);
            return bar < 1 ? text + String.format(Locale.ROOT, " (%.0fx faster)", 1 / bar) : text;
        }
    }

    /**
     * The two ways the read bars are judged: with the strings made into {@code String}s (what protobuf's
     * parse does), and with the strings read where they lie (what a zero-copy format is for). Encode's bar
     * counts in both.
     */
    record Reading(String name, String operation) {
    }

    /** A benchmark method, the format it measures and what it does, for the results file. */
    record Method(String name, String format, String measures) {
    }

    private static final String READ = "read";
    private static final String READ_IN_PLACE = "read, strings in place";
    private static final String ENCODE = "encode";
    private static final String ENCODE_NEW_BUFFER = "encode into a new pooled buffer";

    static final List<Reading> READINGS = List.of(new Reading("strings made into `String`s", READ),
            new Reading("strings read in place", READ_IN_PLACE));

    /**
     * The rows, in table order. The rows with a bar are the design notes' three claims; the two read bars are
     * judged twice, on the two ways a zero-copy format's strings can be read (see {@link #READINGS}).
     */
    static final List<Comparison> COMPARISONS = List.of(
            new Comparison(READ, "teleportRead", "sbeRead", "SBE", 1.0),
            new Comparison(READ, "teleportRead", "protobufRead", "protobuf", 0.1),
            new Comparison(READ, "teleportRead", "flatbuffersRead", "FlatBuffers", null),
            new Comparison(READ, "teleportRead", "jacksonRead", "Jackson", null),
            new Comparison(READ_IN_PLACE, "teleportReadInPlace", "sbeReadInPlace", "SBE", 1.0),
            new Comparison(READ_IN_PLACE, "teleportReadInPlace", "protobufRead", "protobuf", 0.1),
            new Comparison(ENCODE, "teleportEncode", "sbeEncode", "SBE", 1.2),
            new Comparison(ENCODE, "teleportEncode", "protobufEncode", "protobuf", null),
            new Comparison(ENCODE, "teleportEncode", "flatbuffersEncode", "FlatBuffers", null),
            new Comparison(ENCODE, "teleportEncode", "jacksonEncode", "Jackson", null),
            new Comparison(ENCODE_NEW_BUFFER, "teleportEncodeNewBuffer", "sbeEncode", "SBE", null));

    /** The benchmark of the two strings alone, the floor of every read row that materializes them. */
    private static final String STRINGS_ALONE = "jdkStrings";

    /**
     * Every benchmark, once per round, in this order or its reverse: each bar's two sides (teleport and SBE
     * for read and encode, teleport and protobuf for both reads) are neighbours either way.
     */
    static final List<Method> METHODS = List.of(
            new Method("sbeReadInPlace", "SBE", "as `sbeRead`, but the strings are wrapped in place with "
                    + "`wrapName` / `wrapEmail` over a reused `UnsafeBuffer` (no copy, no allocation)"),
            new Method("teleportReadInPlace", "teleport", "as `teleportRead`, but the strings are read in place "
                    + "with `nameText()` / `emailText()`: the view's reused `TeleportString` flyweight (a "
                    + "`CharSequence`) re-pointed at each string's bytes (no copy, no allocation)"),
            new Method("protobufRead", "protobuf", "`PbUser.parseFrom(byte[])` (builds the message, its 8 item "
                    + "messages and both strings) and every getter"),
            new Method("teleportRead", "teleport", "`rewrap` of one reused `BenchUserView` (checks the header and "
                    + "every string and slice reference), every field, the 8 items through the list flyweight, "
                    + "and `name()` / `email()` (a new `String` each)"),
            new Method("sbeRead", "SBE", "`wrapAndApplyHeader` (checks the template id), every fixed field, the "
                    + "group's 8 entries through its flyweight iterator, then the two strings with `name()` and "
                    + "`email()` (a new `String` each), on one reused decoder over an Agrona `UnsafeBuffer`"),
            new Method("flatbuffersRead", "FlatBuffers", "`getRootAsFbUser` into one reused table accessor, every "
                    + "field through the vtable, the 8 structs through one reused struct accessor, and `name()` / "
                    + "`email()` (a new `String` each)"),
            new Method("jacksonRead", "Jackson", "`ObjectReader.readValue(byte[])` into a new `BenchUser` record "
                    + "(with its list and 8 `BenchItem`s), then every accessor"),
            new Method("sbeEncode", "SBE", "`wrapAndApplyHeader` of one reused encoder over a reused direct "
                    + "`UnsafeBuffer`, the record's fields, `itemsCount(8)` and each entry, then `name(String)` / "
                    + "`email(String)` (SBE's generated setters encode each to a new `byte[]` first)"),
            new Method("teleportEncode", "teleport", "`BenchUserTeleport.write` into one reused `TeleportBuffer`, "
                    + "then `finishInto` one reused direct `ByteBuf` (cleared first), as SBE writes into its reused "
                    + "buffer"),
            new Method("teleportEncodeNewBuffer", "teleport", "as `teleportEncode`, but `finish()` hands over a new "
                    + "pooled `ByteBuf` of exactly the message's size (what a server passes to the channel); the "
                    + "benchmark releases it"),
            new Method("protobufEncode", "protobuf", "a `PbUser` built from the record with `newBuilder()` (and 8 "
                    + "`PbItem`s), written with `writeTo` through a `CodedOutputStream` over one reused `byte[]`"),
            new Method("flatbuffersEncode", "FlatBuffers", "`clear()` of one reused `FlatBufferBuilder`, both "
                    + "strings, the vector of 8 structs (back to front), the table, `finish`"),
            new Method("jacksonEncode", "Jackson", "`ObjectWriter.writeValueAsBytes(record)`: a new `byte[]` of "
                    + "JSON"),
            new Method(STRINGS_ALONE, "JDK", "`new String(byte[], UTF_8)` of the name's and the e-mail's bytes, "
                    + "from two heap arrays, and nothing else: what every read that hands out `String`s pays at "
                    + "least, whatever the format"));

    /** A format of the per-format table and the prefix of its benchmark methods and facts. */
    record Format(String name, String prefix) {
    }

    /** The suffixes of the benchmark methods, in the column order of the per-format table. */
    private static final List<String> OPERATIONS = List.of("Encode", "Read", "ReadInPlace");

    private static final List<Format> FORMATS = List.of(new Format("teleport", "teleport"), new Format("SBE", "sbe"),
            new Format("FlatBuffers", "flatbuffers"), new Format("protobuf", "protobuf"),
            new Format("Jackson", "jackson"));

    private static final String BENCHMARK = TeleportCodecBenchmark.class.getName();
    private static final String RESULTS_NAME = "teleport-codec.md";
    private static final String VERSIONS = "peer-versions.properties";
    /** The GC profiler's bytes allocated per operation. */
    private static final String ALLOCATED = "gc.alloc.rate.norm";

    /**
     * The benchmarks that reach their steady state later: Jackson's read path is deep, and here it was still
     * getting faster after 1.2 s, settling after about 1.5 s; the other formats settle within 0.6 s.
     */
    private static final Set<String> SLOW_WARMUP = Set.of("jacksonRead", "jacksonEncode");

    private final int rounds = Integer.getInteger("dx.bench.rounds", 7);
    // Warm-up by time (SLOW_WARMUP aside). Measurement by many short iterations: on a shared machine most of
    // them share the cores with other processes, and the fastest is the one least disturbed.
    private final int warmupIterations = Integer.getInteger("dx.bench.warmupIterations", 3);
    private final int slowWarmupIterations = Integer.getInteger("dx.bench.slowWarmupIterations", 8);
    private final int warmupMillis = Integer.getInteger("dx.bench.warmupMillis", 400);
    private final int measurementIterations = Integer.getInteger("dx.bench.measurementIterations", 15);
    private final int measurementMillis = Integer.getInteger("dx.bench.measurementMillis", 100);
    private final boolean verbose = Boolean.getBoolean("dx.bench.verbose");
    private final List<String> jvmArgs;
    private final Path environmentFile;
    private final Path factsFile;

    /** Per benchmark method, the figure of each round in ns per message. */
    private final Map<String, List<Double>> figures = new HashMap<>();
    /** Each round's median iteration, to show what the bars would say judged on those instead. */
    private final Map<String, List<Double>> medianFigures = new HashMap<>();
    /** Per benchmark method, the bytes allocated per message in each round (JMH's GC profiler). */
    private final Map<String, List<Double>> allocations = new HashMap<>();
    private double loadAtStart;
    private double loadAtEnd;

    private TeleportCodecReport(Path environmentFile, Path factsFile) {
        this.environmentFile = environmentFile;
        this.factsFile = factsFile;
        List<String> args = new ArrayList<>(List.of(TeleportCodecBenchmark.NATIVE_ACCESS,
                TeleportCodecBenchmark.NO_LEAK_DETECTION, TeleportCodecBenchmark.AGRONA_UNSAFE));
        String extra = System.getProperty("dx.bench.jvmArgs", "").strip();
        if (!extra.isEmpty()) {
            args.addAll(Arrays.asList(extra.split("\\s+")));
        }
        this.jvmArgs = List.copyOf(args);
    }

    public static void main(String[] args) throws Exception {
        JmhUnsafeWarningFilter.install();
        Path out = resultsFile(RESULTS_NAME);
        Path env = Files.createTempFile("dx-bench-env", ".properties");
        Path facts = Files.createTempFile("dx-bench-facts", ".properties");
        try {
            TeleportCodecReport report = new TeleportCodecReport(env, facts);
            long start = System.nanoTime();
            report.loadAtStart = loadAverage();
            report.measure();
            report.loadAtEnd = loadAverage();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String markdown = report.render(ForkEnvironment.read(env), ForkEnvironment.read(facts), took);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, markdown, StandardCharsets.UTF_8);
            System.out.println();
            System.out.print(report.summary());
            System.out.println("wrote " + out + " (" + took.toSeconds() + " s)");
        } finally {
            Files.deleteIfExists(env);
            Files.deleteIfExists(facts);
        }
    }

    /** {@code benchmarks/results/} from the project root, or {@code results/} from benchmarks/ itself. */

    private void measure() throws RunnerException {
        double seconds = 0;
        for (Method method : METHODS) {
            seconds += rounds * ((warmupIterations(method.name()) * warmupMillis
                    + measurementIterations * measurementMillis) / 1000.0 + 2.0);
        }
        System.out.printf(Locale.ROOT, "teleport-codec: %d rounds x %d benchmarks = %d JVM forks, about %.0f s; "
                        + "forked JVM flags: %s%n", rounds, METHODS.size(), rounds * METHODS.size(), seconds,
                String.join(" ", jvmArgs));
        for (int round = 0; round < rounds; round++) {
            List<Method> order = new ArrayList<>(METHODS);
            // Reversing every other round keeps a slow drift of the machine from favouring one side.
            if (round % 2 == 1) {
                Collections.reverse(order);
            }
            for (Method method : order) {
                run(method.name());
            }
            for (Comparison c : COMPARISONS) {
                double measured = last(c.method());
                double reference = last(c.reference());
                System.out.printf(Locale.ROOT, "round %d/%d %-32s teleport %8.1f ns  %-11s %9.1f ns  ratio %.3f%n",
                        round + 1, rounds, c.operation(), measured, c.against(), reference, measured / reference);
            }
        }
    }

    private int warmupIterations(String method) {
        return SLOW_WARMUP.contains(method) ? slowWarmupIterations : warmupIterations;
    }

    private double last(String method) {
        List<Double> values = figures.get(method);
        return values.get(values.size() - 1);
    }

    /**
     * One fresh JVM measuring one benchmark: the fastest of its measurement iterations, the one least
     * disturbed by other processes on the machine (their median is kept too).
     */
    private void run(String method) throws RunnerException {
        List<String> forkArgs = new ArrayList<>(jvmArgs);
        forkArgs.add("-D" + ForkEnvironment.FILE_PROPERTY + "=" + environmentFile);
        forkArgs.add("-D" + TeleportCodecBenchmark.FACTS_PROPERTY + "=" + factsFile);
        Options options = ReportSupport.oneFork("^" + Pattern.quote(BENCHMARK + "." + method) + "$", forkArgs,
                        warmupIterations(method), warmupMillis, measurementIterations, measurementMillis, verbose)
                // Reads the JVM's per-thread allocation counters between iterations: nothing in the timed loop.
                .addProfiler(GCProfiler.class)
                .build();
        RunResult result = ReportSupport.runOne(options, method, verbose);
        double[] iterations = ReportSupport.iterationScores(result);
        figures.computeIfAbsent(method, k -> new ArrayList<>()).add(ReportSupport.min(iterations));
        medianFigures.computeIfAbsent(method, k -> new ArrayList<>()).add(ReportSupport.median(iterations));
        Result allocated = result.getSecondaryResults().get(ALLOCATED);
        allocations.computeIfAbsent(method, k -> new ArrayList<>())
                .add(allocated == null ? Double.NaN : allocated.getScore());
    }

    private String summary() {
        StringBuilder sb = new StringBuilder();
        for (Comparison c : COMPARISONS) {
            Row r = row(c);
            sb.append(String.format(Locale.ROOT, "%-32s teleport %8.1f ns  %-11s %9.1f ns  ratio %.3fx  %s%n",
                    c.operation(), r.measured, c.against(), r.reference, r.ratio, r.verdict()));
        }
        return sb.toString();
    }

    private String render(Properties env, Properties facts, Duration took) throws IOException {
        Properties versions = versions();
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        StringBuilder md = new StringBuilder();
        md.append("# teleport-codec: teleport against SBE, protobuf, FlatBuffers and Jackson, encoding and reading "
                + "one message\n\n");
        md.append("Written by `dev.dxreactor.benchmarks.teleport.TeleportCodecReport` on ").append(now)
                .append("; rerun it (command in `benchmarks/README.md`) rather than editing this file.\n\n");

        List<Comparison> barred = COMPARISONS.stream().filter(c -> c.bar() != null).toList();
        md.append("**Bars**, on teleport's time over the peer's per message. The design notes' two read bars are "
                + "judged twice, on the two ways a zero-copy format's strings can be read; the encode bar counts "
                + "in both. **This run:");
        for (Reading reading : READINGS) {
            List<String> missed = barred.stream()
                    .filter(c -> c.operation().equals(reading.operation()) || c.operation().equals(ENCODE))
                    .filter(c -> !"PASS".equals(row(c).verdict()))
                    .map(c -> c.operation() + " against " + c.against()).toList();
            md.append(" ").append(reading.name()).append(", ").append(missed.isEmpty() ? "PASS"
                    : "FAIL (" + String.join(", ", missed) + ")").append(';');
        }
        md.setLength(md.length() - 1);
        md.append(".** The other rows have no bar: the design notes set none for them.\n\n");
        for (Comparison c : barred) {
            Row r = row(c);
            md.append(String.format(Locale.ROOT, "- %s: at most %.2fx %s's time%s. Measured %.3fx (teleport %s): "
                            + "**%s**.%n", c.operation(), c.bar(), c.against(),
                    c.bar() < 1 ? String.format(Locale.ROOT, ", i.e. at least %.0fx faster", 1 / c.bar()) : "",
                    r.ratio, r.ratio <= 1
                            ? String.format(Locale.ROOT, "%.1fx faster", 1 / r.ratio)
                            : String.format(Locale.ROOT, "%.1fx slower", r.ratio),
                    r.verdict()));
        }
        double strings = ReportSupport.median(figures.get(STRINGS_ALONE));
        for (Comparison c : barred) {
            if (c.bar() < 1 && c.operation().equals(READ)) {
                double allowed = row(c).reference * c.bar();
                md.append(String.format(Locale.ROOT, "%nWhat the %s bar leaves a read: %.1f ns (%s's %.1f ns x %.2f)."
                                + " Making the message's two `String`s alone costs the JDK %.1f ns (`%s`), %.0f%% of"
                                + " that, in every format that hands them out; teleport's read with the strings"
                                + " in place is the row `%s`.%n", c.against(), allowed,
                        c.against(), row(c).reference, c.bar(), strings, STRINGS_ALONE, 100 * strings / allowed,
                        READ_IN_PLACE));
            }
        }
        md.append("\nJudged on each round's median iteration instead of its fastest, the same ratios are:");
        for (Comparison c : barred) {
            Row r = row(c, medianFigures);
            md.append(String.format(Locale.ROOT, " %s against %s %.3fx (%s);", c.operation(), c.against(), r.ratio,
                    r.verdict()));
        }
        md.setLength(md.length() - 1);
        md.append(". The median iteration carries more of the other processes' load (see the load average under"
                + " How it was run), which falls on the two sides of a ratio unequally.\n\n");
        md.append("Figures come from a shared, noisy machine (").append(env.getProperty("os", "?"))
                .append("): the ns are for orientation only and are not comparable between runs; only the "
                        + "ratios, measured in the same run and interleaved, matter. The spread of the per-round "
                        + "ratios shows how far to trust a ratio. A ratio below 1 means teleport is faster.\n\n");

        md.append("## Teleport against each peer\n\n");
        md.append("| operation | teleport ns/msg | against | ns/msg | ratio | per-round ratios (min - max) | bar "
                + "| result |\n");
        md.append("| --- | ---: | --- | ---: | ---: | ---: | --- | --- |\n");
        for (Comparison c : COMPARISONS) {
            Row r = row(c);
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %.1f | %.3fx | %.3f - %.3f | %s | %s |%n",
                    c.operation(), r.measured, c.against(), r.reference, r.ratio, r.minRatio, r.maxRatio,
                    c.barText(), r.verdict()));
        }
        md.append('\n');

        md.append("## Every format\n\n");
        md.append("Median ns per message, the message as each format encodes it (header included where the "
                + "format has one), and the bytes allocated per message (JMH's GC profiler, median of the rounds; "
                + "the message buffers teleport's writer hands out come from Netty's pool, not the heap).\n\n");
        md.append("| format | bytes | encode ns | B allocated | read ns | B allocated | read, strings in place ns "
                + "| B allocated |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Format format : FORMATS) {
            String prefix = format.prefix();
            md.append("| ").append(format.name()).append(" | ").append(facts.getProperty("bytes." + prefix, "?"));
            for (String operation : OPERATIONS) {
                md.append(" | ").append(median(figures, prefix + operation, "%.1f"))
                        .append(" | ").append(median(allocations, prefix + operation, "%.0f"));
            }
            md.append(" |\n");
        }
        md.append('\n');

        renderMessage(md, facts);
        renderRules(md, facts);

        md.append("## What each benchmark measures\n\n");
        md.append("One operation is one message. Every benchmark works on the same value, ")
                .append("`TeleportCodecBenchmark.sampleUser()`; each read benchmark reads the bytes its own "
                        + "format's encoder wrote for it, in the kind of buffer that format reads from.\n\n");
        for (String operation : List.of("Read", "ReadInPlace", "Encode")) {
            for (Format format : FORMATS) {
                for (Method m : METHODS) {
                    if (m.name().equals(format.prefix() + operation)) {
                        md.append("- **").append(m.format()).append("**, `").append(m.name()).append("`: ")
                                .append(m.measures()).append(".\n");
                    }
                }
            }
        }
        md.append('\n');

        md.append("## How it was run\n\n");
        md.append("| | |\n| --- | --- |\n");
        md.append("| JDK | ").append(env.getProperty("java.version", "?")).append(", ")
                .append(env.getProperty("java.vm", "?")).append(" |\n");
        md.append("| OS, CPUs | ").append(env.getProperty("os", "?")).append(" |\n");
        md.append(String.format(Locale.ROOT, "| Load average (1 min) | %.2f when the run started, %.2f when it "
                + "ended; other processes on the machine count too |%n", loadAtStart, loadAtEnd));
        md.append("| Versions | teleport ").append(versions.getProperty("teleport", "?"))
                .append(" (this build), SBE (sbe-tool) ").append(versions.getProperty("sbe", "?"))
                .append(" on Agrona ").append(versions.getProperty("agrona", "?"))
                .append(", flatbuffers-java ").append(versions.getProperty("flatbuffers", "?"))
                .append(", protobuf-java and protoc ").append(versions.getProperty("protobuf", "?"))
                .append(", jackson-databind ").append(versions.getProperty("jackson", "?")).append(" |\n");
        md.append("| Netty | ").append(env.getProperty("netty.version", "?")).append(", allocator ")
                .append(env.getProperty("netty.allocator", "?")).append(", leak detection ")
                .append(env.getProperty("netty.leakDetection", "?")).append(" |\n");
        md.append("| Teleport's message buffer | `").append(facts.getProperty("teleport.buffer", "?"))
                .append("`, from Netty's default allocator |\n");
        md.append("| `sun.misc.Unsafe` in Netty | ").append(unsafeLine(env, "not used")).append(" |\n");
        md.append("| Bounds checks | Netty (teleport's reads): bounds ")
                .append(onOff(facts.getProperty("netty.checkBounds"))).append(", reference count ")
                .append(onOff(facts.getProperty("netty.checkAccessible")))
                .append("; Agrona (SBE's reads and writes): ").append(onOff(facts.getProperty("agrona.boundsChecks")))
                .append("; SBE's access-order checks: not generated |\n");
        md.append("| JVM flags we set | `").append(String.join(" ", jvmArgs)).append("`: the tests' "
                + "`--enable-native-access=ALL-UNNAMED`, leak detection disabled (teleport allocates a buffer "
                + "per message, and sampled leak tracking would be measured with it), and the export Agrona "
                + "needs on JDK 25 |\n");
        md.append("| JVM flags as seen in a fork | `").append(env.getProperty("jvm.args", "?")
                        .replaceAll(" -D" + Pattern.quote(TeleportCodecBenchmark.FACTS_PROPERTY) + "=\\S*", ""))
                .append("` (the rest are JMH's own) |\n");
        md.append(String.format(Locale.ROOT, "| JMH | %s, average time, ns per message; %d rounds, each forking a "
                        + "fresh JVM per benchmark: %d x %d ms warm-up (%d x %d ms for Jackson, whose read path "
                        + "settles later), %d x %d ms measured; the benchmarks back "
                        + "to back, each bar's two sides next to each other, the order reversed every other round. "
                        + "A round's figure is the fastest of its measured iterations (other processes only ever add "
                        + "time); a ratio is the median of the per-round ratios, a time the median of the per-round "
                        + "figures |%n",
                jmhVersion(), rounds, warmupIterations, warmupMillis, slowWarmupIterations, warmupMillis,
                measurementIterations, measurementMillis));
        md.append("| Wall time | ").append(took.toSeconds()).append(" s |\n\n");

        md.append("## Per-round figures\n\n");
        md.append("ns per message, each the fastest of the round's measured iterations, in the order the first "
                + "round ran them; the even-numbered rounds ran them in the reverse order.\n\n");
        md.append("| benchmark |");
        for (int r = 1; r <= rounds; r++) {
            md.append(" round ").append(r).append(" |");
        }
        md.append("\n| --- |").append(" ---: |".repeat(rounds)).append('\n');
        for (Method m : METHODS) {
            md.append("| `").append(m.name()).append("` |");
            for (double v : figures.get(m.name())) {
                md.append(String.format(Locale.ROOT, " %.1f |", v));
            }
            md.append('\n');
        }
        return md.toString();
    }

    private void renderMessage(StringBuilder md, Properties facts) {
        BenchUser user = TeleportCodecBenchmark.sampleUser();
        BenchItem first = user.items().get(0);
        md.append("## The message\n\n");
        md.append("`BenchUser(long id, int age, boolean active, short flags, String name, String email, "
                + "List<BenchItem> items)` with ").append(user.items().size()).append(" items `BenchItem(long sku, "
                + "int quantity, int priceCents, short flags)`: id ").append(user.id()).append(", name \"")
                .append(user.name()).append("\", e-mail \"").append(user.email()).append("\", first item sku ")
                .append(first.sku()).append(". Every field is set (no format can skip a default) and the strings "
                        + "are ASCII. The same fields in each format: a `@Teleportable` record pair for teleport "
                        + "(`src/main/java/.../teleport/BenchUser.java`), an SBE message with a repeating group "
                        + "and two UTF-8 var-data fields (`src/main/sbe/bench-user.xml`, `active` a uint8), a "
                        + "FlatBuffers table with a vector of structs (`src/main/flatbuffers/bench_user.fbs`), a "
                        + "proto3 message with a repeated message (`src/main/protobuf/bench_user.proto`, the "
                        + "shorts as int32), and the record itself for Jackson, whose JSON is:\n\n");
        md.append("```json\n").append(facts.getProperty("json", "?")).append("\n```\n\n");
    }

    private void renderRules(StringBuilder md, Properties facts) {
        md.append("## Fairness rules\n\n");
        md.append("- **Same values**: every format encodes the same record's fields, and each fork first checks "
                + "that every format reads back exactly that record, that every encoder writes the same bytes "
                + "again (all five are deterministic), and that teleport's and SBE's in-place strings hold the "
                + "right bytes.\n");
        md.append("- **From the application's value**: encoding starts from the `BenchUser` record in every "
                + "format: teleport and Jackson take it as it is, SBE, FlatBuffers and protobuf copy its fields "
                + "into their encoders (protobuf through its builders, which is how protobuf encodes).\n");
        md.append("- **Each format's fastest idiomatic API, reusing what it lets an application reuse**: teleport's "
                + "`TeleportBuffer` and view; SBE's encoder and decoder flyweights and buffers; one "
                + "`FlatBufferBuilder` (`clear()` per message) and one table and one struct accessor; one output "
                + "array for protobuf's `CodedOutputStream`; Jackson's `ObjectWriter` and `ObjectReader`. "
                + "Teleport's `finish()` hands over a new pooled `ByteBuf` per message (its API has no other "
                + "way), which counts in teleport's encode.\n");
        md.append("- **Reading is every field**, with both strings materialized as `String` in every format (a "
                + "new one per read). The `read, strings in place` rows are the same read with the strings read "
                + "where they lie through a reused flyweight, for the two formats that offer it; protobuf has no "
                + "such read (it decodes its strings while parsing), so its one read is set against both.\n");
        md.append("- **Every output goes to a JMH `Blackhole`**: each field read, the encoded message.\n");
        md.append("- **Safety as shipped**: SBE keeps Agrona's bounds checks (").append(
                onOff(facts.getProperty("agrona.boundsChecks"))).append(" in this run), as teleport validates "
                        + "every message it wraps and Netty checks every read of its `ByteBuf`; SBE's codecs are "
                        + "generated without access-order checks, which catch reading fields out of order (a "
                        + "programming error, not bad input) and are meant for development.\n\n");
    }

    private static String median(Map<String, List<Double>> perMethod, String method, String format) {
        List<Double> values = perMethod.get(method);
        return values == null ? "-" : String.format(Locale.ROOT, format, ReportSupport.median(values));
    }

    private static Properties versions() throws IOException {
        Properties p = new Properties();
        try (InputStream in = TeleportCodecReport.class.getResourceAsStream(VERSIONS)) {
            if (in != null) {
                p.load(in);
            }
        }
        return p;
    }

    private static String onOff(String value) {
        return value == null ? "?" : Boolean.parseBoolean(value) ? "on" : "off";
    }

    /** The one-minute load average: with 2 CPUs, anything near 1 or above means a fork had company. */

    private Row row(Comparison c) {
        return row(c, figures);
    }

    private static Row row(Comparison c, Map<String, List<Double>> figures) {
        List<Double> m = figures.get(c.method());
        List<Double> r = figures.get(c.reference());
        double[] ratios = new double[m.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = m.get(i) / r.get(i);
        }
        return new Row(ReportSupport.median(m), ReportSupport.median(r), ReportSupport.median(ratios), min(ratios), max(ratios), c.bar());
    }

    private record Row(double measured, double reference, double ratio, double minRatio, double maxRatio,
                       Double bar) {
        String verdict() {
            return bar == null ? "-" : ratio <= bar ? "PASS" : "FAIL";
        }
    }
}
