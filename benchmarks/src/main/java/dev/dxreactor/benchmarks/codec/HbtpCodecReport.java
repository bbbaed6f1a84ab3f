package dev.dxreactor.benchmarks.codec;

import dev.dxreactor.benchmarks.ReportSupport;
import dev.dxreactor.benchmarks.report.Chart;
import dev.dxreactor.benchmarks.report.Environment;
import dev.dxreactor.benchmarks.report.Interleaved;
import dev.dxreactor.benchmarks.report.MarkdownTable;
import dev.dxreactor.benchmarks.report.ReportRun;
import dev.dxreactor.benchmarks.report.RoundFigures;
import dev.dxreactor.benchmarks.report.Stats;
import dev.dxreactor.hbtp.HbtpCompression;
import dev.dxreactor.hbtp.HbtpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Runs {@link HbtpCodecBenchmark} and writes {@code benchmarks/results/hbtp-codec.md}: per payload size,
 * the plain HBTP codec against the Netty baseline and the compressed and encrypted codec against the plain
 * one, in time per frame, their ratios, and the bar; and the bytes each variant puts on the wire.
 *
 * <p>The machines this runs on are shared and noisy, so a ratio is only trusted when both sides were
 * measured close together, several times: the run is made of rounds, and each round measures, per payload
 * size, every benchmark the comparisons need once, back to back, each in a fresh JVM, in an order that
 * puts each comparison's two sides next to each other and is reversed every other time. A ratio is the
 * median of the per-round ratios. Plain HBTP is measured once per round and size and serves as the
 * reference of every variant, so adding a variant adds one fork, not two.
 *
 * <p>Settings (system properties): {@code dx.bench.rounds} (5), {@code dx.bench.warmupIterations} (3),
 * {@code dx.bench.cipherWarmupIterations} (8, for the encrypted benchmarks),
 * {@code dx.bench.warmupMillis} (400), {@code dx.bench.measurementIterations} (5),
 * {@code dx.bench.measurementMillis} (200),
 * {@code dx.bench.sizes} (all of the benchmark's payload sizes), {@code dx.bench.operations}
 * (all of {@link #COMPARISONS}; comma separated, e.g. {@code decode,encrypted decode}),
 * {@code dx.bench.jvmArgs} (added to the forked JVMs' flags, space separated), {@code dx.bench.out} (the
 * results file), {@code dx.bench.verbose} (JMH's own output).
 */
public final class HbtpCodecReport {

    /**
     * One row per payload size it applies to: a benchmark, the one it is compared with ({@code reference},
     * described in a word by {@code against}), and the bar on their ratio ({@code null}: reported without a
     * bar).
     */
    record Comparison(String operation, String method, String reference, String against, Double bar,
                      IntPredicate sizes, String measures) {
    }

    private static final String NETTY = "Netty baseline";
    private static final String PLAIN = "plain HBTP";
    private static final IntPredicate EVERY_SIZE = size -> true;
    private static final int THRESHOLD = HbtpCompression.DEFAULT_THRESHOLD;
    private static final int NO_THRESHOLD = HbtpCodecBenchmark.NO_THRESHOLD;

    /**
     * Decoding first, then encoding, each a reference followed by what is compared with it, so that the
     * order of the forks puts every pair side by side. The variants have no bar: the design notes set none.
     */
    static final List<Comparison> COMPARISONS = List.of(
            new Comparison("decode", "hbtpDecode", "baselineDecode", NETTY, 1.2, EVERY_SIZE,
                    "one read of " + HbtpCodecBenchmark.FRAMES + " frames through the pipeline; HBTP "
                            + "validates each header and emits an `HbtpFrame` with a retained payload slice, "
                            + "the baseline "
                            + "`LengthFieldBasedFrameDecoder(LITTLE_ENDIAN, Integer.MAX_VALUE, 4, 4, 0, 0, true)` "
                            + "emits a retained slice of each whole frame (header included) and reads nothing "
                            + "but the length"),
            new Comparison("compressed decode", "hbtpCompressedDecode", "hbtpDecode", PLAIN, null, EVERY_SIZE,
                    "one read of the " + HbtpCodecBenchmark.FRAMES + " frames compressed encode writes; each "
                            + "frame the codec emits with COMPRESSED set is decompressed with "
                            + "`HbtpCompression.decompress` (bounded by the default maximum message length, "
                            + "as the session handlers bound it) into a new `HbtpFrame` with the flag "
                            + "cleared, as the session handlers do after the codec. Bodies under the "
                            + THRESHOLD + " B threshold arrive plain, and the figure is then the flag check"),
            new Comparison("encrypted decode", "hbtpEncryptedDecode", "hbtpDecode", PLAIN, null, EVERY_SIZE,
                    "one read of " + HbtpCodecBenchmark.FRAMES + " sealed frames into a codec after "
                            + "`startEncryption` with a server's keys, which opens each (ChaCha20-Poly1305, "
                            + "the plaintext into a new buffer) and emits it with ENCRYPTED cleared. The nonce "
                            + "is a frame counter, so a sealed stream opens only once: set-up seals a ring of "
                            + "at least " + HbtpCodecBenchmark.ENCRYPTED_RING_BYTES / (1 << 20) + " MiB and "
                            + HbtpCodecBenchmark.MIN_ENCRYPTED_CHUNKS + " reads with the matching client's "
                            + "keys, each call opens the next " + HbtpCodecBenchmark.FRAMES + " frames, and "
                            + "when the ring is used up the call replaces the server's channel by a new one "
                            + "(counter at 0; timed, once per ring). The ring's bytes come from further away "
                            + "in the cache hierarchy than the hot stream of plain decode"),
            new Comparison("encode", "hbtpEncode", "baselineEncode", NETTY, null, EVERY_SIZE,
                    HbtpCodecBenchmark.FRAMES + " writes and one flush; HBTP gets a new `HbtpFrame` per "
                            + "write (allocated in the measured loop) and writes header and payload into one "
                            + "exact-size buffer, the baseline `RawFrameEncoder` (a "
                            + "`MessageToByteEncoder<ByteBuf>`) gets the payload buffer and writes the same "
                            + "8-byte header and payload into one exact-size buffer, checking nothing"),
            new Comparison("compressed encode", "hbtpCompressedEncode", "hbtpEncode", PLAIN, null, EVERY_SIZE,
                    "as plain encode, but each body first goes through `HbtpCompression.compress` at the "
                            + "default threshold of " + THRESHOLD + " B (zstd level "
                            + HbtpCompression.DEFAULT_LEVEL + "), a server's work per response; the codec "
                            + "frames the zstd body with COMPRESSED set, or the body itself when compress "
                            + "declines. Bodies under the threshold are not compressed, so the figure is "
                            + "then the threshold check and plain framing, as in a server with default "
                            + "settings"),
            new Comparison("compressed encode at threshold " + NO_THRESHOLD, "hbtpCompressedEncodeNoThreshold",
                    "hbtpEncode", PLAIN, null, size -> size < THRESHOLD,
                    "compressed encode with a compression attempt on every body (threshold " + NO_THRESHOLD
                            + "): what the default threshold saves on bodies under it. Measured only at "
                            + "sizes under the threshold, where it differs from compressed encode"),
            new Comparison("encrypted encode", "hbtpEncryptedEncode", "hbtpEncode", PLAIN, null, EVERY_SIZE,
                    "as plain encode, on a codec after `startEncryption` with a client's keys: each frame "
                            + "is sealed (ChaCha20-Poly1305) into one exact-size buffer: header with "
                            + "ENCRYPTED set, ciphertext, 16-byte tag"));

    private static final String RESULTS_NAME = "hbtp-codec";
    /** Characters of the body quoted in the results file. */
    private static final int WIRE_SAMPLE = 120;
    /**
     * The benchmarks that reach their steady state later: the JDK's ChaCha20 and Poly1305 intrinsics run
     * only once C2 has compiled the cipher's own methods, and at 16 KiB they were still getting faster
     * after 1.2 s here, settling after about 2 s.
     */
    private static final Set<String> CIPHER = Set.of("hbtpEncryptedDecode", "hbtpEncryptedEncode");

    private final int rounds = Integer.getInteger("dx.bench.rounds", 5);
    // Warm-up by time: C2 has compiled the plain loops within the first ~500 ms here, the cipher's later
    // (CIPHER). Measurement by many short iterations, whose median shrugs off a burst of load from other
    // processes.
    private final int warmupIterations = Integer.getInteger("dx.bench.warmupIterations", 3);
    private final int cipherWarmupIterations = Integer.getInteger("dx.bench.cipherWarmupIterations", 8);
    private final int warmupMillis = Integer.getInteger("dx.bench.warmupMillis", 400);
    private final int measurementIterations = Integer.getInteger("dx.bench.measurementIterations", 5);
    private final int measurementMillis = Integer.getInteger("dx.bench.measurementMillis", 200);
    private final boolean verbose = Boolean.getBoolean("dx.bench.verbose");
    private final List<Integer> sizes;
    private final List<Comparison> comparisons;
    private final List<String> jvmArgs = ReportSupport.forkArgs(HbtpCodecBenchmark.NATIVE_ACCESS,
            HbtpCodecBenchmark.NO_LEAK_DETECTION);
    private final ReportRun run;

    /** Per benchmark method and payload size ({@link #key}), the figure of each round in ns per frame. */
    private final RoundFigures figures = new RoundFigures();

    private HbtpCodecReport(ReportRun run) {
        this.run = run;
        this.sizes = parseSizes(System.getProperty("dx.bench.sizes", defaultSizes()));
        this.comparisons = selectComparisons(System.getProperty("dx.bench.operations", ""));
    }

    public static void main(String[] args) throws Exception {
        try (ReportRun run = ReportRun.start(RESULTS_NAME)) {
            HbtpCodecReport report = new HbtpCodecReport(run);
            report.measure();
            Environment env = run.finish();
            run.publish(env, report.render(env), report.charts(), report.summary());
        }
    }

    private void measure() throws Exception {
        int runs = 0;
        double seconds = 0;
        for (int size : sizes) {
            for (String method : methodsAt(size)) {
                runs += rounds;
                seconds += rounds * ((warmupIterations(method) * warmupMillis
                        + measurementIterations * measurementMillis) / 1000.0 + 1.0);
            }
        }
        System.out.printf(Locale.ROOT, "hbtp-codec: %d rounds x %d sizes x %d comparisons = %d JVM forks, about "
                        + "%.0f s; forked JVM flags: %s%n",
                rounds, sizes.size(), comparisons.size(), runs, seconds, String.join(" ", jvmArgs));
        for (int round = 0; round < rounds; round++) {
            for (int s = 0; s < sizes.size(); s++) {
                int size = sizes.get(s);
                // Alternating with the size too: the next size's first benchmark is the one that ran last.
                for (String method : Interleaved.order(methodsAt(size), round + s)) {
                    run(method, size);
                }
                for (Comparison c : comparisonsAt(size)) {
                    double measured = figures.last(key(c.method(), size));
                    double reference = figures.last(key(c.reference(), size));
                    System.out.printf(Locale.ROOT, "round %d/%d %6d B %-34s %10.1f ns  %-14s %9.1f ns  "
                                    + "ratio %.3f%n", round + 1, rounds, size, c.operation(), measured,
                            c.against(), reference, measured / reference);
                }
            }
        }
    }

    /** The comparisons measured at {@code size}, in table order. */
    private List<Comparison> comparisonsAt(int size) {
        return comparisons.stream().filter(c -> c.sizes().test(size)).toList();
    }

    /** Every benchmark the comparisons at {@code size} need, once each, each reference before its subject. */
    private List<String> methodsAt(int size) {
        Set<String> methods = new LinkedHashSet<>();
        for (Comparison c : comparisonsAt(size)) {
            methods.add(c.reference());
            methods.add(c.method());
        }
        return List.copyOf(methods);
    }

    private int warmupIterations(String method) {
        return CIPHER.contains(method) ? cipherWarmupIterations : warmupIterations;
    }

    /**
     * One fresh JVM measuring one benchmark at one size: the median of its measurement iterations, so that
     * one iteration hit by another process on the machine does not move the figure.
     */
    private void run(String method, int size) throws RunnerException {
        List<String> forkArgs = new ArrayList<>(jvmArgs);
        forkArgs.add(run.environmentFlag());
        Options options = ReportSupport.oneFork(ReportSupport.exactly(HbtpCodecBenchmark.class, method), forkArgs,
                        warmupIterations(method), warmupMillis, measurementIterations, measurementMillis, verbose)
                .param("payloadSize", String.valueOf(size))
                .build();
        figures.add(key(method, size), Stats.median(ReportSupport.iterationScores(
                ReportSupport.runOne(options, method + " at " + size + " B", verbose))));
    }

    /**
     * Per size, every benchmark's median with its rounds' spread; and each barred comparison's per-round ratios
     * at every size, against its bar.
     */
    private List<Chart> charts() {
        List<Chart> charts = new ArrayList<>();
        for (int size : sizes) {
            RoundFigures atSize = new RoundFigures();
            for (String method : methodsAt(size)) {
                for (double figure : figures.of(key(method, size))) {
                    atSize.add(method, figure);
                }
            }
            charts.add(Chart.medians("medians-" + size, "ns per frame, " + sizeLabel(size) + " payload", "ns/frame",
                    atSize, atSize.variants()));
        }
        for (Comparison c : comparisons) {
            if (c.bar() == null) {
                continue;
            }
            Map<String, double[]> ratios = new LinkedHashMap<>();
            for (int size : sizes) {
                if (c.sizes().test(size)) {
                    ratios.put(sizeLabel(size), figures.ratios(key(c.method(), size), key(c.reference(), size)));
                }
            }
            charts.add(Chart.ratios(c.method() + "-ratios", c.operation() + ": " + c.method() + " / "
                    + c.reference() + " per round, bar " + c.bar(), ratios, c.bar()));
        }
        return charts;
    }

    private String summary() {
        StringBuilder sb = new StringBuilder();
        for (int size : sizes) {
            for (Comparison c : comparisonsAt(size)) {
                Row r = row(c, size);
                sb.append(String.format(Locale.ROOT, "%6d B %-34s %10.1f ns  %-14s %9.1f ns  ratio %.2fx  %s%n",
                        size, c.operation(), r.measured, c.against(), r.reference, r.ratio, r.verdict()));
            }
        }
        return sb.toString();
    }

    private String render(Environment env) {
        StringBuilder md = new StringBuilder();
        md.append("# hbtp-codec: HBTP frame codec vs Netty length-field framing, and what zstd and "
                + "encryption cost on top\n\n");
        md.append(env.writtenBy(HbtpCodecReport.class, ""));

        for (Comparison c : COMPARISONS) {
            if (c.bar() == null) {
                continue;
            }
            String verdict = comparisons.contains(c) ? "PASS" : "not measured";
            for (int size : sizes) {
                if (comparisons.contains(c) && c.sizes().test(size) && "FAIL".equals(row(c, size).verdict())) {
                    verdict = "FAIL";
                }
            }
            md.append(String.format(Locale.ROOT, "**Bar:** plain %s <= %.1fx the baseline's time per frame, at "
                    + "every payload size. **This run: %s.** The compressed and encrypted variants are "
                    + "reported against plain HBTP without a bar: the design notes set none for them.%n%n",
                    c.operation(), c.bar(), verdict));
        }
        md.append("Figures come from a shared, noisy machine (").append(env.os())
                .append("): the ns are for orientation only and are not comparable between runs; only the "
                        + "ratios, measured in the same run and interleaved, matter. The spread of the "
                        + "per-round ratios shows how far to trust a ratio. Each row compares a benchmark "
                        + "with the one named under *against*: plain HBTP with the Netty baseline, the "
                        + "compressed and encrypted codec with plain HBTP on the same body, so their ratio "
                        + "is what turning the feature on costs per frame.\n\n");

        for (int size : sizes) {
            md.append("## ").append(sizeLabel(size)).append(" payload\n\n");
            md.append("| operation | ns/frame | against | ns/frame | ratio | per-round ratios (min - max) | bar "
                    + "| result |\n");
            md.append("| --- | ---: | --- | ---: | ---: | ---: | --- | --- |\n");
            for (Comparison c : comparisonsAt(size)) {
                Row r = row(c, size);
                md.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %.1f | %.2fx | %.2f - %.2f | %s | %s |%n",
                        c.operation(), r.measured, c.against(), r.reference, r.ratio, r.minRatio, r.maxRatio,
                        c.bar() == null ? "none (reported only)" : String.format(Locale.ROOT, "<= %.1fx", c.bar()),
                        r.verdict()));
            }
            md.append('\n');
        }

        renderWire(md);

        md.append("## What each benchmark measures\n\n");
        md.append("Every side runs in an `EmbeddedChannel` of its own (same pipeline costs), on direct "
                + "buffers from Netty's default allocator, with payloads of ")
                .append(String.join(", ", sizes.stream().map(HbtpCodecReport::sizeLabel).toList()))
                .append(". One operation is one frame: each invocation handles ").append(HbtpCodecBenchmark.FRAMES)
                .append(" frames and JMH divides by that. Every output goes to a JMH `Blackhole` and is "
                        + "released; the frame count is checked on every invocation, and before timing each "
                        + "fork checks that every decoder returns the stream's frames with the original body "
                        + "and every encoder writes exactly the expected bytes (same 8-byte header: opcode, "
                        + "flags, u16 sequence, u32 little-endian length; zstd at a fixed level and the "
                        + "cipher under fixed keys and counters are deterministic). The encrypted side uses "
                        + "keys from a real X25519 exchange (`HbtpKeyExchange`, no pre-shared key) made in "
                        + "the fork's set-up.\n\n");
        for (Comparison c : comparisons) {
            md.append("- **").append(c.operation()).append("** (`").append(c.method()).append("` vs `")
                    .append(c.reference()).append("`): ").append(c.measures()).append(".\n");
        }
        md.append('\n');

        md.append(env.howItWasRun()
                .jdkOsAndLoad()
                .netty()
                .unsafe("not used by either side")
                .jvmFlags(jvmArgs, ": the tests' `--enable-native-access=ALL-UNNAMED`, and leak detection disabled "
                        + "(the tests run it paranoid, which would be measured too)")
                .jmh(String.format(Locale.ROOT, "average time, ns per frame; %d rounds, each forking a fresh JVM per "
                        + "benchmark and size: %d x %d ms warm-up (%d x %d ms for the encrypted ones, whose cipher "
                        + "intrinsics take longer to compile), %d x %d ms measured; per size the benchmarks back to "
                        + "back, each reference next to what is compared with it, the order reversed every other "
                        + "time. A round's figure is the median of its measured iterations; a ratio is the median of "
                        + "the per-round ratios, a time the median of the per-round figures", rounds,
                        warmupIterations, warmupMillis, cipherWarmupIterations, warmupMillis, measurementIterations,
                        measurementMillis))
                .wallTime()
                .render());

        md.append("## Per-round figures\n\n");
        md.append("ns per frame, each the median of the round's measured iterations.\n\n");
        MarkdownTable perRound = MarkdownTable.perRound(rounds, "payload", "benchmark");
        for (int size : sizes) {
            for (String method : methodsAt(size)) {
                perRound.row("%.1f", figures.of(key(method, size)), sizeLabel(size), "`" + method + "`");
            }
        }
        md.append(perRound.render());
        return md.toString();
    }

    /**
     * The body every benchmark sends and the frame each variant makes of it, computed here with the
     * benchmark's own payload and the codec's compression, which are deterministic, so the forks made the
     * same bytes.
     */
    private void renderWire(StringBuilder md) {
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        ByteBuf sample = HbtpCodecBenchmark.jsonPayload(alloc, WIRE_SAMPLE);
        try {
            md.append("## The body and the bytes on the wire\n\n");
            md.append("Every frame of every benchmark carries the same body: US-ASCII JSON, an array of user "
                    + "records (id, name, e-mail, a boolean, a balance, a role, a timestamp) drawn from a fixed "
                    + "seed and cut off at the payload size, so field names and shape repeat and values mostly "
                    + "do not, as in a typical API response. It begins `")
                    .append(sample.toString(StandardCharsets.US_ASCII)).append("...`. Framing and the cipher do "
                            + "not look at the bytes; zstd does, and a body this compressible is neither a best "
                            + "nor a worst case.\n\n");
        } finally {
            sample.release();
        }
        md.append("Frame sizes, header included, as the benchmarks write them (zstd level ")
                .append(HbtpCompression.DEFAULT_LEVEL).append("; the encrypted frame adds a ")
                .append(HbtpCodecBenchmark.ENCRYPTION_TAG).append("-byte tag):\n\n");
        md.append("| payload | plain frame | compressed, threshold ").append(THRESHOLD)
                .append(" B | compressed, threshold ").append(NO_THRESHOLD).append(" B | encrypted |\n");
        md.append("| --- | ---: | ---: | ---: | ---: |\n");
        for (int size : sizes) {
            md.append("| ").append(sizeLabel(size)).append(" | ").append(HbtpHeader.SIZE + size).append(" B | ")
                    .append(compressedFrame(alloc, size, THRESHOLD)).append(" | ")
                    .append(compressedFrame(alloc, size, NO_THRESHOLD)).append(" | ")
                    .append(HbtpHeader.SIZE + size + HbtpCodecBenchmark.ENCRYPTION_TAG).append(" B |\n");
        }
        md.append('\n');
    }

    /** The frame compressed encode writes for a body of {@code size} bytes, and why it is plain if it is. */
    private static String compressedFrame(ByteBufAllocator alloc, int size, int threshold) {
        ByteBuf body = HbtpCodecBenchmark.jsonPayload(alloc, size);
        ByteBuf compressed = HbtpCompression.compress(alloc, body, threshold);
        body.release();
        if (compressed == null) {
            return (HbtpHeader.SIZE + size) + " B, sent plain: " + (size < threshold
                    ? "under the threshold" : "zstd's output is not smaller");
        }
        int length = compressed.readableBytes();
        compressed.release();
        return String.format(Locale.ROOT, "%d B (body %.0f%% of the original)", HbtpHeader.SIZE + length,
                100.0 * length / size);
    }

    private Row row(Comparison c, int size) {
        String m = key(c.method(), size);
        String r = key(c.reference(), size);
        double[] ratios = figures.ratios(m, r);
        return new Row(figures.median(m), figures.median(r), Stats.median(ratios), Stats.min(ratios),
                Stats.max(ratios), c.bar());
    }

    private record Row(double measured, double reference, double ratio, double minRatio, double maxRatio,
                       Double bar) {
        String verdict() {
            return bar == null ? "-" : ratio <= bar ? "PASS" : "FAIL";
        }
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
