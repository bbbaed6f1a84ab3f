package dev.dxreactor.benchmarks.teleport;

import dev.dxreactor.benchmarks.ForkEnvironment;
import dev.dxreactor.benchmarks.ReportSupport;
import dev.dxreactor.benchmarks.report.Chart;
import dev.dxreactor.benchmarks.report.Environment;
import dev.dxreactor.benchmarks.report.Interleaved;
import dev.dxreactor.benchmarks.report.MarkdownTable;
import dev.dxreactor.benchmarks.report.ReportRun;
import dev.dxreactor.benchmarks.report.RoundFigures;
import dev.dxreactor.benchmarks.report.Stats;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

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

    private static final String RESULTS_NAME = "teleport-codec";
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
    private final List<String> jvmArgs = ReportSupport.forkArgs(TeleportCodecBenchmark.NATIVE_ACCESS,
            TeleportCodecBenchmark.NO_LEAK_DETECTION, TeleportCodecBenchmark.AGRONA_UNSAFE);
    private final ReportRun run;
    private final Path factsFile;

    /** Per benchmark method, the figure of each round in ns per message. */
    private final RoundFigures figures = new RoundFigures();
    /** Each round's median iteration, to show what the bars would say judged on those instead. */
    private final RoundFigures medianFigures = new RoundFigures();
    /** Per benchmark method, the bytes allocated per message in each round (JMH's GC profiler). */
    private final RoundFigures allocations = new RoundFigures();

    private TeleportCodecReport(ReportRun run, Path factsFile) {
        this.run = run;
        this.factsFile = factsFile;
    }

    public static void main(String[] args) throws Exception {
        Path facts = Files.createTempFile("dx-bench-facts", ".properties");
        try (ReportRun run = ReportRun.start(RESULTS_NAME)) {
            TeleportCodecReport report = new TeleportCodecReport(run, facts);
            report.measure();
            Environment env = run.finish();
            run.publish(env, report.render(env, ForkEnvironment.read(facts)), report.charts(), report.summary());
        } finally {
            Files.deleteIfExists(facts);
        }
    }

    private void measure() throws Exception {
        double seconds = 0;
        for (Method method : METHODS) {
            seconds += rounds * ((warmupIterations(method.name()) * warmupMillis
                    + measurementIterations * measurementMillis) / 1000.0 + 2.0);
        }
        System.out.printf(Locale.ROOT, "teleport-codec: %d rounds x %d benchmarks = %d JVM forks, about %.0f s; "
                        + "forked JVM flags: %s%n", rounds, METHODS.size(), rounds * METHODS.size(), seconds,
                String.join(" ", jvmArgs));
        Interleaved.run(rounds, METHODS, (round, method) -> run(method.name()), round -> {
            for (Comparison c : COMPARISONS) {
                double measured = figures.last(c.method());
                double reference = figures.last(c.reference());
                System.out.printf(Locale.ROOT, "round %d/%d %-32s teleport %8.1f ns  %-11s %9.1f ns  ratio %.3f%n",
                        round + 1, rounds, c.operation(), measured, c.against(), reference, measured / reference);
            }
        });
    }

    private int warmupIterations(String method) {
        return SLOW_WARMUP.contains(method) ? slowWarmupIterations : warmupIterations;
    }

    /**
     * One fresh JVM measuring one benchmark: the fastest of its measurement iterations, the one least
     * disturbed by other processes on the machine (their median is kept too).
     */
    private void run(String method) throws RunnerException {
        List<String> forkArgs = new ArrayList<>(jvmArgs);
        forkArgs.add(run.environmentFlag());
        forkArgs.add("-D" + TeleportCodecBenchmark.FACTS_PROPERTY + "=" + factsFile);
        Options options = ReportSupport.oneFork(ReportSupport.exactly(TeleportCodecBenchmark.class, method), forkArgs,
                        warmupIterations(method), warmupMillis, measurementIterations, measurementMillis, verbose)
                // Reads the JVM's per-thread allocation counters between iterations: nothing in the timed loop.
                .addProfiler(GCProfiler.class)
                .build();
        RunResult result = ReportSupport.runOne(options, method, verbose);
        double[] iterations = ReportSupport.iterationScores(result);
        figures.add(method, Stats.min(iterations));
        medianFigures.add(method, Stats.median(iterations));
        Result allocated = result.getSecondaryResults().get(ALLOCATED);
        allocations.add(method, allocated == null ? Double.NaN : allocated.getScore());
    }

    /** Every benchmark's median with its rounds' spread; the barred rows' per-round ratios, one chart per bar. */
    private List<Chart> charts() {
        List<Chart> charts = new ArrayList<>();
        charts.add(Chart.medians("medians", "ns per message, fastest iteration of each round", "ns/message",
                figures, METHODS.stream().map(Method::name).toList()));
        Map<Double, Map<String, double[]>> byBar = new LinkedHashMap<>();
        for (Comparison c : COMPARISONS) {
            if (c.bar() != null) {
                byBar.computeIfAbsent(c.bar(), b -> new LinkedHashMap<>()).put(c.operation() + " / " + c.against(),
                        figures.ratios(c.method(), c.reference()));
            }
        }
        for (Map.Entry<Double, Map<String, double[]>> bar : byBar.entrySet()) {
            charts.add(Chart.ratios(String.format(Locale.ROOT, "ratios-bar-%.2f", bar.getKey()),
                    String.format(Locale.ROOT, "teleport / peer per round, bar <= %.2fx", bar.getKey()),
                    bar.getValue(), bar.getKey()));
        }
        return charts;
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

    private String render(Environment env, Properties facts) throws IOException {
        Properties versions = versions();
        StringBuilder md = new StringBuilder();
        md.append("# teleport-codec: teleport against SBE, protobuf, FlatBuffers and Jackson, encoding and reading "
                + "one message\n\n");
        md.append(env.writtenBy(TeleportCodecReport.class, ""));

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
        double strings = figures.median(STRINGS_ALONE);
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
        md.append("Figures come from a shared, noisy machine (").append(env.os())
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

        md.append(env.howItWasRun()
                .jdkOsAndLoad()
                .row("Versions", "teleport " + versions.getProperty("teleport", "?") + " (this build), SBE (sbe-tool) "
                        + versions.getProperty("sbe", "?") + " on Agrona " + versions.getProperty("agrona", "?")
                        + ", flatbuffers-java " + versions.getProperty("flatbuffers", "?") + ", protobuf-java and "
                        + "protoc " + versions.getProperty("protobuf", "?") + ", jackson-databind "
                        + versions.getProperty("jackson", "?"))
                .netty()
                .row("Teleport's message buffer", "`" + facts.getProperty("teleport.buffer", "?")
                        + "`, from Netty's default allocator")
                .unsafe("not used")
                .row("Bounds checks", "Netty (teleport's reads): bounds " + onOff(facts.getProperty("netty.checkBounds"))
                        + ", reference count " + onOff(facts.getProperty("netty.checkAccessible"))
                        + "; Agrona (SBE's reads and writes): " + onOff(facts.getProperty("agrona.boundsChecks"))
                        + "; SBE's access-order checks: not generated")
                .jvmFlags(jvmArgs, ": the tests' `--enable-native-access=ALL-UNNAMED`, leak detection disabled "
                        + "(teleport allocates a buffer per message, and sampled leak tracking would be measured with "
                        + "it), and the export Agrona needs on JDK 25", env.fork("jvm.args")
                        .replaceAll(" -D" + Pattern.quote(TeleportCodecBenchmark.FACTS_PROPERTY) + "=\\S*", ""))
                .jmh(String.format(Locale.ROOT, "average time, ns per message; %d rounds, each forking a fresh JVM "
                        + "per benchmark: %d x %d ms warm-up (%d x %d ms for Jackson, whose read path settles later), "
                        + "%d x %d ms measured; the benchmarks back to back, each bar's two sides next to each other, "
                        + "the order reversed every other round. A round's figure is the fastest of its measured "
                        + "iterations (other processes only ever add time); a ratio is the median of the per-round "
                        + "ratios, a time the median of the per-round figures", rounds, warmupIterations,
                        warmupMillis, slowWarmupIterations, warmupMillis, measurementIterations, measurementMillis))
                .wallTime()
                .render());

        md.append("## Per-round figures\n\n");
        md.append("ns per message, each the fastest of the round's measured iterations, in the order the first "
                + "round ran them; the even-numbered rounds ran them in the reverse order.\n\n");
        MarkdownTable perRound = MarkdownTable.perRound(rounds, "benchmark");
        for (Method m : METHODS) {
            perRound.row("%.1f", figures.of(m.name()), "`" + m.name() + "`");
        }
        md.append(perRound.render());
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

    private static String median(RoundFigures perMethod, String method, String format) {
        return perMethod.has(method) ? String.format(Locale.ROOT, format, perMethod.median(method)) : "-";
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

    private Row row(Comparison c) {
        return row(c, figures);
    }

    private static Row row(Comparison c, RoundFigures figures) {
        double[] ratios = figures.ratios(c.method(), c.reference());
        return new Row(figures.median(c.method()), figures.median(c.reference()), Stats.median(ratios),
                Stats.min(ratios), Stats.max(ratios), c.bar());
    }

    private record Row(double measured, double reference, double ratio, double minRatio, double maxRatio,
                       Double bar) {
        String verdict() {
            return bar == null ? "-" : ratio <= bar ? "PASS" : "FAIL";
        }
    }
}
