package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.benchmarks.ReportSupport;
import dev.dxreactor.benchmarks.report.Chart;
import dev.dxreactor.benchmarks.report.Environment;
import dev.dxreactor.benchmarks.report.MarkdownTable;
import dev.dxreactor.benchmarks.report.ReportRun;
import dev.dxreactor.benchmarks.report.RoundFigures;
import dev.dxreactor.benchmarks.report.Stats;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntToDoubleFunction;
import java.util.regex.Pattern;

/**
 * Runs {@link CimChainBenchmark} and writes {@code benchmarks/results/cim-chain.md}: the time per request of
 * the six variants, and the bars of the design notes: the fused handler within 1.1x of the hand-written one,
 * and a fused chain's overhead at most half that of separate handlers, a chain's overhead being what it costs
 * beyond the middlewares' own work. That overhead is measured two ways and the bar must hold on both: with the
 * four working middlewares, a variant's time minus the hand-written handler's (the same work inline); with four
 * pass-through middlewares, a variant's time minus the bare application's (there is no work).
 *
 * <p>The run is made of rounds, each a fresh JVM in which the six variants take turns, one short iteration
 * each ({@link CimChainInterleavedBenchmark}), in an order that puts each fused variant next to its peers and
 * is reversed every other cycle. A round's figure for a variant is the fastest of its measured
 * iterations, a variant's time the median of its per-round figures, and a ratio is taken of those medians
 * (the same ratio per round is reported for its spread). Then {@link CimWorkBenchmark} measures the
 * middlewares' work piece by piece. Before anything is measured, the runner checks that every variant answers
 * like the fused chain ({@link ChainCheck}); each fork checks them again.
 *
 * <p>Settings (system properties): {@code dx.bench.rounds} (9), {@code dx.bench.warmupIterations} (36),
 * {@code dx.bench.warmupMillis} (200), {@code dx.bench.measurementIterations} (240),
 * {@code dx.bench.measurementMillis} (25), {@code dx.bench.jvmArgs} (added to the forked JVMs' flags, space
 * separated), {@code dx.bench.out} (the results file), {@code dx.bench.verbose} (JMH's own output).
 */
public final class CimChainReport {

    private static final String RESULTS_NAME = "cim-chain";
    private static final String ALLOCATED = "gc.alloc.rate.norm";

    /** Fused time over hand-written time, at most. */
    static final double HAND_WRITTEN_BAR = 1.10;
    /** A fused chain's overhead over that of the same middlewares as separate handlers, at most. */
    static final double OVERHEAD_BAR = 0.50;

    /** The pieces of {@link CimWorkBenchmark}, in request order, with what each is. */
    static final Map<String, String> WORK_PIECES = orderedMap(
            "apiKey", "API key: `X-Api-Key` looked up and compared",
            "rateLimit", "rate limit: a clock reading, the loop's buckets (`FastThreadLocal`), the key, an "
                    + "access-ordered map lookup, a GCRA step",
            "corsCheck", "CORS before: `Origin` looked up and switched on, the preflight test",
            "corsHeaders", "CORS after: `Access-Control-Allow-Origin` and `Vary` set (`FixedHeaders`)",
            "timing", "timing: two clock readings, the micros formatted, `X-Response-Time` set");
    /** The piece that makes and releases an answer, which {@link #ON_AN_ANSWER} include and are shown without. */
    static final String ANSWER = "answer";
    static final Set<String> ON_AN_ANSWER = Set.of("corsHeaders", "timing");

    /** The order of the variants' turns in a round (reversed every other cycle). */
    static final List<ChainVariant> ORDER = CimChainInterleavedBenchmark.ORDER;
    /** The variants as the tables list them: the application alone, the working chain, the pass-through one. */
    static final List<ChainVariant> TABLE = List.of(ChainVariant.values());

    private final int rounds = Integer.getInteger("dx.bench.rounds", 9);
    // Many short measured iterations, the variants taking turns, of which each variant's fastest counts (see
    // run). C2 settled the four working request paths after about 4 s of turns here; the six get 1.2 s each.
    private final int warmupIterations = Integer.getInteger("dx.bench.warmupIterations",
            CimChainInterleavedBenchmark.WARMUP_ITERATIONS);
    private final int warmupMillis = Integer.getInteger("dx.bench.warmupMillis", 200);
    private final int measurementIterations = Integer.getInteger("dx.bench.measurementIterations",
            CimChainInterleavedBenchmark.MEASUREMENT_ITERATIONS);
    private final int measurementMillis = Integer.getInteger("dx.bench.measurementMillis", 25);
    private final boolean verbose = Boolean.getBoolean("dx.bench.verbose");
    private final List<String> jvmArgs = ReportSupport.forkArgs(CimChainBenchmark.NATIVE_ACCESS,
            CimChainBenchmark.NO_LEAK_DETECTION);
    private final ReportRun run;

    /** Per variant ({@link ChainVariant#method}), the figure of each round in ns per request. */
    private final RoundFigures figures = new RoundFigures();
    /** Per variant, the bytes allocated per request in each round (JMH's GC profiler). */
    private final RoundFigures allocations = new RoundFigures();
    /** Per piece of the middlewares' work ({@link CimWorkBenchmark} method), its fastest iteration in ns. */
    private final Map<String, Double> work = new LinkedHashMap<>();

    private CimChainReport(ReportRun run) {
        this.run = run;
    }

    public static void main(String[] args) throws Exception {
        // Minutes of measuring are worth nothing if a variant answers differently: fail before them.
        for (ChainVariant variant : ORDER) {
            ChainCheck.verify(variant);
        }
        try (ReportRun run = ReportRun.start(RESULTS_NAME)) {
            CimChainReport report = new CimChainReport(run);
            report.measure();
            report.measureWork();
            Environment env = run.finish();
            run.publish(env, report.render(env), report.charts(), report.summary());
        }
    }

    private void measure() throws RunnerException {
        double seconds = rounds
                * ((warmupIterations * warmupMillis + measurementIterations * measurementMillis) / 1000.0 + 3.0);
        System.out.printf(Locale.ROOT, "cim-chain: %d rounds, one JVM fork each, the %d variants taking turns, about "
                        + "%.0f s; forked JVM flags: %s%n", rounds, ORDER.size(), seconds, String.join(" ", jvmArgs));
        for (int round = 0; round < rounds; round++) {
            run();
            int r = round;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d/%d ", round + 1, rounds));
            for (ChainVariant v : TABLE) {
                line.append(String.format(Locale.ROOT, " %s %.1f", v.method(), at(v, r)));
            }
            for (Bar bar : bars()) {
                line.append(String.format(Locale.ROOT, "  %s %s", bar.name(), ratio(bar.perRound()[r])));
            }
            System.out.println(line);
        }
    }

    /** One fresh JVM per piece of {@link CimWorkBenchmark}, with the variants' settings: its fastest iteration. */
    private void measureWork() throws RunnerException {
        System.out.printf(Locale.ROOT, "the middlewares' work, %d pieces and the answer alone, one JVM fork each%n",
                WORK_PIECES.size());
        Options options = ReportSupport.oneFork("^" + Pattern.quote(CimWorkBenchmark.class.getName()) + "\\.",
                jvmArgs, warmupIterations, warmupMillis, measurementIterations, measurementMillis, verbose).build();
        for (RunResult result : new Runner(options).run()) {
            String benchmark = result.getParams().getBenchmark();
            work.put(benchmark.substring(benchmark.lastIndexOf('.') + 1),
                    Stats.min(ReportSupport.iterationScores(result)));
        }
        Set<String> expected = new HashSet<>(WORK_PIECES.keySet());
        expected.add(ANSWER);
        if (!work.keySet().equals(expected)) {
            throw new IllegalStateException("measured pieces " + work.keySet() + ", expected " + expected
                    + "; is the benchmark list in the jar current?");
        }
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * One round: a fresh JVM in which the variants take turns, an iteration each
     * ({@link CimChainInterleavedBenchmark#variantOf}); a variant's figure is the fastest of its measured
     * iterations. Other processes on the machine only ever add time to an iteration (a shared core runs the
     * request path up to twice as slowly, for seconds at a time, here), and a variant cannot run faster than
     * its code: the fastest of many short iterations is the one least disturbed, and taking turns every few
     * tens of ms exposes every variant to the same disturbances.
     */
    private void run() throws RunnerException {
        List<String> forkArgs = new ArrayList<>(jvmArgs);
        forkArgs.add(run.environmentFlag());
        Options options = ReportSupport.oneFork(ReportSupport.exactly(CimChainInterleavedBenchmark.class, "request"),
                        forkArgs,
                        warmupIterations, warmupMillis, measurementIterations, measurementMillis, verbose)
                // Reads the JVM's per-thread allocation counters between iterations: nothing in the timed loop.
                .addProfiler(GCProfiler.class)
                .build();
        List<IterationResult> iterations = ReportSupport.runOne(options, "the round", verbose)
                .getBenchmarkResults().stream()
                .flatMap(b -> b.getIterationResults().stream())
                .toList();
        if (iterations.size() != measurementIterations) {
            throw new IllegalStateException(iterations.size() + " measured iterations, expected "
                    + measurementIterations);
        }
        Map<ChainVariant, List<Double>> times = new EnumMap<>(ChainVariant.class);
        Map<ChainVariant, List<Double>> bytes = new EnumMap<>(ChainVariant.class);
        for (int i = 0; i < iterations.size(); i++) {
            // The warm-up iterations took the first turns.
            ChainVariant variant = CimChainInterleavedBenchmark.variantOf(warmupIterations + i);
            IterationResult iteration = iterations.get(i);
            times.computeIfAbsent(variant, k -> new ArrayList<>()).add(iteration.getPrimaryResult().getScore());
            Result allocated = iteration.getSecondaryResults().get(ALLOCATED);
            bytes.computeIfAbsent(variant, k -> new ArrayList<>())
                    .add(allocated == null ? Double.NaN : allocated.getScore());
        }
        for (ChainVariant variant : ORDER) {
            figures.add(variant.method(), Stats.min(times.get(variant).stream().mapToDouble(Double::doubleValue)
                    .toArray()));
            allocations.add(variant.method(), Stats.median(bytes.get(variant)));
        }
    }

    private double at(ChainVariant variant, int round) {
        return figures.of(variant.method())[round];
    }

    /** A per-round quantity over the rounds measured so far. */
    private double[] perRound(IntToDoubleFunction quantity) {
        double[] values = new double[figures.of(ChainVariant.BARE.method()).length];
        for (int r = 0; r < values.length; r++) {
            values[r] = quantity.applyAsDouble(r);
        }
        return values;
    }

    /** The median of a variant's per-round figures. */
    private double time(ChainVariant variant) {
        return figures.median(variant.method());
    }

    /** {@code variant}'s median time minus {@code reference}'s: what it costs beyond what the reference does. */
    private double over(ChainVariant variant, ChainVariant reference) {
        return time(variant) - time(reference);
    }

    /**
     * A fused chain's overhead over separate handlers', as measured, never clamped: a fused overhead at or below
     * zero (the fused variant as fast as its reference or faster) gives a ratio at or below zero, which meets
     * any bar. Only a separate overhead above zero can be divided by; otherwise there is no ratio (NaN).
     */
    static double overheadRatio(double fusedOverhead, double separateOverhead) {
        return separateOverhead > 0 ? fusedOverhead / separateOverhead : Double.NaN;
    }

    /** A ratio as the results show it: three decimals, or {@code n/a} where it is not defined. */
    static String ratio(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }

    /**
     * A ratio of the variants' median times, with the same ratio taken round by round, and the bar it is held
     * to ({@code NaN} for a ratio reported only). An undefined ratio fails its bar.
     */
    record Bar(String name, double ratio, double[] perRound, double limit) {

        boolean isBar() {
            return !Double.isNaN(limit);
        }

        boolean passed() {
            return !Double.isNaN(ratio) && ratio <= limit;
        }

        String verdict() {
            return !isBar() ? "-" : passed() ? "PASS" : "FAIL";
        }

        String spread() {
            double[] defined = Arrays.stream(perRound).filter(v -> !Double.isNaN(v)).toArray();
            if (defined.length == 0) {
                return "n/a";
            }
            String range = String.format(Locale.ROOT, "%.3f - %.3f", Stats.min(defined), Stats.max(defined));
            int undefined = perRound.length - defined.length;
            return undefined == 0 ? range : range + " (n/a in " + undefined + ")";
        }
    }

    private Bar handWrittenBar() {
        return new Bar("fused / handWritten time", time(ChainVariant.FUSED) / time(ChainVariant.HAND_WRITTEN),
                perRound(r -> at(ChainVariant.FUSED, r) / at(ChainVariant.HAND_WRITTEN, r)), HAND_WRITTEN_BAR);
    }

    /** The working chain's overhead bar: the middlewares' work is what {@code handWritten} does inline. */
    private Bar workingOverheadBar() {
        return overheadRatioOf(ChainVariant.FUSED, ChainVariant.SEPARATE, ChainVariant.HAND_WRITTEN, OVERHEAD_BAR);
    }

    /** The pass-through chain's overhead bar: there is no work, so the reference is the application alone. */
    private Bar passThroughOverheadBar() {
        return overheadRatioOf(ChainVariant.FUSED_PASS_THROUGH, ChainVariant.SEPARATE_PASS_THROUGH, ChainVariant.BARE,
                OVERHEAD_BAR);
    }

    /** The working chain's overhead taken over {@code bare}: it counts the middlewares' work; not a bar. */
    private Bar workingOverBare() {
        return overheadRatioOf(ChainVariant.FUSED, ChainVariant.SEPARATE, ChainVariant.BARE, Double.NaN);
    }

    /** How low {@link #workingOverBare} can go: the work done inline, with no chain. */
    private Bar inlineWorkOverBare() {
        return overheadRatioOf(ChainVariant.HAND_WRITTEN, ChainVariant.SEPARATE, ChainVariant.BARE, Double.NaN);
    }

    private Bar overheadRatioOf(ChainVariant fused, ChainVariant separate, ChainVariant reference, double limit) {
        String name = String.format(Locale.ROOT, "(%1$s - %3$s) / (%2$s - %3$s)", fused.method(), separate.method(),
                reference.method());
        return new Bar(name, overheadRatio(over(fused, reference), over(separate, reference)),
                perRound(r -> overheadRatio(at(fused, r) - at(reference, r), at(separate, r) - at(reference, r))),
                limit);
    }

    /** The bars the verdict is made of, in the order the results list them. */
    private List<Bar> bars() {
        return List.of(handWrittenBar(), workingOverheadBar(), passThroughOverheadBar());
    }

    /**
     * The variants' medians with their rounds' spread, and the three bars' per-round ratios against their bars
     * (an overhead round without a ratio leaves a gap).
     */
    private List<Chart> charts() {
        Map<String, double[]> speed = new LinkedHashMap<>();
        Map<String, double[]> overhead = new LinkedHashMap<>();
        for (Bar bar : bars()) {
            (bar.limit() == HAND_WRITTEN_BAR ? speed : overhead).put(bar.name(), bar.perRound());
        }
        return List.of(
                Chart.medians("medians", "ns per request, fastest iteration of each round", "ns/request", figures,
                        TABLE.stream().map(ChainVariant::method).toList()),
                Chart.ratios("speed-ratios", "fused / handWritten per round, bar <= " + HAND_WRITTEN_BAR, speed,
                        HAND_WRITTEN_BAR),
                Chart.ratios("overhead-ratios", "chain overhead ratios per round, bar <= " + OVERHEAD_BAR, overhead,
                        OVERHEAD_BAR));
    }

    private String summary() {
        StringBuilder sb = new StringBuilder();
        for (ChainVariant v : TABLE) {
            sb.append(String.format(Locale.ROOT, "%-20s %8.1f ns/request%n", v.method(), time(v)));
        }
        for (String piece : WORK_PIECES.keySet()) {
            sb.append(String.format(Locale.ROOT, "work: %-12s %6.1f ns alone%n", piece, pieceTime(piece)));
        }
        for (Bar bar : bars()) {
            sb.append(String.format(Locale.ROOT, "%-58s %s (bar <= %.2f)  %s%n", bar.name(), ratio(bar.ratio()),
                    bar.limit(), bar.verdict()));
        }
        Bar overBare = workingOverBare();
        sb.append(String.format(Locale.ROOT, "%-58s %s (not the bar)%n", overBare.name(), ratio(overBare.ratio())));
        return sb.toString();
    }

    private String render(Environment env) {
        Bar speed = handWrittenBar();
        Bar working = workingOverheadBar();
        Bar passThrough = passThroughOverheadBar();
        Bar overBare = workingOverBare();
        Bar inlineOverBare = inlineWorkOverBare();
        StringBuilder md = new StringBuilder();
        md.append("# cim-chain: four middlewares as separate handlers, fused by dx-cim, and written by hand; "
                + "four pass-through ones as separate handlers and fused\n\n");
        md.append(env.writtenBy(CimChainReport.class, ""));

        md.append("**Bars** (design notes). **This run: ")
                .append(bars().stream().allMatch(Bar::passed) ? "PASS" : "FAIL").append(".**\n\n");
        md.append(String.format(Locale.ROOT, "- fused at most %.2fx the hand-written handler's time. Measured "
                + "%.3fx: **%s**.%n", HAND_WRITTEN_BAR, speed.ratio(), speed.verdict()));
        md.append(String.format(Locale.ROOT, "- a fused chain's overhead at most %.2fx that of the same middlewares "
                + "as separate handlers (at least %.0fx less), a chain's overhead being what it costs beyond the "
                + "middlewares' own work. Measured two ways; the bar must hold on both:%n", OVERHEAD_BAR,
                1 / OVERHEAD_BAR));
        md.append(String.format(Locale.ROOT, "  - with the four working middlewares, overhead = a variant's time "
                + "minus `handWritten`'s (the same work inline, same run): `%s` = %s: **%s**;%n", working.name(),
                ratio(working.ratio()), working.verdict()));
        md.append(String.format(Locale.ROOT, "  - with four pass-through middlewares, overhead = a variant's time "
                + "minus `bare`'s (there is no work): `%s` = %s: **%s**.%n%n", passThrough.name(),
                ratio(passThrough.ratio()), passThrough.verdict()));
        md.append("How an overhead ratio is formed: the fused variant's overhead divided by the separate variant's, "
                + "both as measured. A fused variant at or below its reference in time has an overhead of zero or "
                + "less, and the ratio is then zero or negative: shown as it is, not clamped, and it meets the bar. "
                + "A separate overhead of zero or less cannot be divided by: the ratio is `n/a`, and an `n/a` ratio "
                + "fails its bar (the run did not show what separate handlers cost).\n\n");
        md.append("Figures come from a shared, noisy machine (").append(env.os())
                .append("): the ns are for orientation only and are not comparable between runs; only the "
                        + "ratios, measured in the same run and interleaved, matter.\n\n");

        md.append("## Variants\n\n");
        md.append("ns per request: the median of the rounds' figures. Minus `handWritten`: the working chain's "
                + "overhead, what a variant costs beyond the middlewares' work done inline. Minus `bare`: the "
                + "pass-through chain's overhead, and for the working variants their work and their chain together. "
                + "Bytes allocated per request: JMH's GC profiler, the median of the variant's iterations in a "
                + "round, then of the rounds.\n\n");
        md.append("| variant | ns/request | minus `bare`, ns | minus `handWritten`, ns | B allocated/request |\n");
        md.append("| --- | ---: | ---: | ---: | ---: |\n");
        for (ChainVariant v : TABLE) {
            boolean chainOverWork = v == ChainVariant.SEPARATE || v == ChainVariant.FUSED;
            md.append(String.format(Locale.ROOT, "| `%s` | %.1f | %s | %s | %.0f |%n", v.method(), time(v),
                    v == ChainVariant.BARE ? "-" : String.format(Locale.ROOT, "%+.1f", over(v, ChainVariant.BARE)),
                    chainOverWork ? String.format(Locale.ROOT, "%+.1f", over(v, ChainVariant.HAND_WRITTEN)) : "-",
                    allocations.median(v.method())));
        }
        md.append('\n');

        md.append("## Ratios\n\n");
        md.append("Each ratio is taken of the variants' median times. The same ratio taken round by round (in a "
                + "round the variants took turns in one JVM) gives the spread: a JVM sometimes compiles a variant "
                + "worse than usual, which moves one round's ratio but not the medians.\n\n");
        md.append("| ratio | value | per-round (min - max) | bar | result |\n");
        md.append("| --- | ---: | ---: | --- | --- |\n");
        for (Bar bar : bars()) {
            md.append(String.format(Locale.ROOT, "| `%s` | %s | %s | <= %.2f | %s |%n", bar.name(),
                    ratio(bar.ratio()), bar.spread(), bar.limit(), bar.verdict()));
        }
        md.append(String.format(Locale.ROOT, "| `%s`: the working chain's overhead taken over `bare`, which counts "
                + "the middlewares' own work; **not the bar** | %s | %s | none (reported only) | - |%n",
                overBare.name(), ratio(overBare.ratio()), overBare.spread()));
        md.append(String.format(Locale.ROOT, "| `%s`: the lowest the ratio above can go (the work inline, no "
                + "chain) | %s | %s | none (reported only) | - |%n%n", inlineOverBare.name(),
                ratio(inlineOverBare.ratio()), inlineOverBare.spread()));

        renderReading(md, overBare, inlineOverBare);
        renderWorkPieces(md, over(ChainVariant.HAND_WRITTEN, ChainVariant.BARE));
        double extraBytes = allocations.median(ChainVariant.FUSED.method())
                - allocations.median(ChainVariant.HAND_WRITTEN.method());
        md.append("What the fused chain does that the hand-written handler does not (and, in the pass-through "
                + "chain, that the application's handler alone does not): it wraps the request in an "
                + "`HttpExchange` with a `MiddlewareContext` (reading the clock for the request's arrival), the "
                + "application's answer in an `HttpResponseAdapter` and a completed `CompletableFuture` (the "
                + "application is asynchronous by contract), checks that the future is done and that it runs on "
                + "the event loop, checks the request's decoder result and, before writing, that the channel is "
                + "active, and, in the working chain, matches the origin through the chain's `OriginPolicy` (a call "
                + "to the generated switch). ")
                .append(extraBytes < 8
                        ? "The wrappers do not show in the bytes allocated by `fused`: the JIT removed them in this "
                                + "run.\n\n"
                        : String.format(Locale.ROOT, "The wrappers show in the bytes allocated (%+.0f B per "
                                + "request over `handWritten`, median of the forks): in some forks the JIT did not "
                                + "inline every hook into the handler (a hook it had already compiled on its "
                                + "own, larger than it inlines), so the exchange and context reached the heap.%n%n",
                        extraBytes));
        md.append("How the separate variants are held to what a user's ordinary Netty handlers would do: the working "
                + "handlers keep their per-request state (the timer's start, the matched origin) in fields of "
                + "per-connection instances, as Netty's own `CorsHandler` and `HttpContentCompressor` keep "
                + "theirs; channel attributes would add a lookup per read and per write that such a user does not "
                + "need, so they would make `separate` slower than it has to be. Every working variant reads the "
                + "request with the same lookups and sets the same headers through the same calls as the built-in "
                + "middlewares (`AsciiString` names, `FixedHeaders` for the CORS answer), and takes its rate-limit "
                + "token with the same steps (`LoopRateLimiter` repeats `RateLimitMiddleware`'s). The pass-through "
                + "handlers pass every message on without looking at it (not even a type test), and override only "
                + "the methods a middleware's hooks stand for, so Netty skips them for every other event: the least "
                + "a handler can cost.\n\n");
        md.append("Changed since the previous results: the overhead bar is now taken on the chain mechanism. It "
                + "was the working variants' time minus `bare`'s, which counts the middlewares' own work in both "
                + "fused and separate, so that the hand-written handler, with no chain at all, missed 0.5 too "
                + "(0.558 in the previous results; see the ratio reported as not the bar). Now a chain's overhead is what it costs beyond that "
                + "work: over `handWritten` for the working chain, and over `bare` for a new chain of four "
                + "pass-through middlewares measured fused and as separate handlers, which join the rounds' turns "
                + "(six variants; 36 warm-up and 240 measured iterations a round, so each variant keeps 40 "
                + "measured ones).\n\n");

        renderWork(md);

        md.append("## What each variant is\n\n");
        md.append("One operation: the prebuilt request, retained, written into the variant's `EmbeddedChannel` "
                + "(`writeInbound`: `channelRead` and `channelReadComplete` through the pipeline), its pipeline "
                + "answers it, and the `FullHttpResponse` it wrote is read from the channel and released. Only the "
                + "pipeline differs.\n\n");
        for (ChainVariant v : TABLE) {
            md.append("- `").append(v.method()).append("`: ").append(v.description()).append(".\n");
        }
        md.append('\n');

        renderChecks(md);

        md.append(env.howItWasRun()
                .jdkOsAndLoad()
                .netty()
                .unsafe("not used")
                .jvmFlags(jvmArgs, ": the tests' `--enable-native-access=ALL-UNNAMED`, and leak detection disabled "
                        + "(the tests run it paranoid, which would be measured too)")
                .jmh(String.format(Locale.ROOT, "average time, ns per request; %d rounds, each a fresh JVM in which "
                        + "the %d variants take turns, one iteration each, in the order %s, reversed every other "
                        + "cycle, so that each bar's variants are neighbours and bursts of load from other processes "
                        + "fall on all of them: %d x %d ms warm-up, %d x %d ms measured (%d per variant). A variant's "
                        + "figure in a round is the fastest of its measured iterations: other processes only ever add "
                        + "time, and of many short iterations the fastest is the least disturbed", rounds,
                        ORDER.size(), String.join(", ", ORDER.stream().map(ChainVariant::method).toList()),
                        warmupIterations, warmupMillis, measurementIterations, measurementMillis,
                        measurementIterations / ORDER.size()))
                .wallTime()
                .render());

        md.append("## Per-round figures\n\n");
        md.append("ns per request, each the fastest of the variant's measured iterations in the round.\n\n");
        MarkdownTable perRound = MarkdownTable.perRound(rounds, "");
        for (ChainVariant v : TABLE) {
            perRound.row("%.1f", figures.of(v.method()), "`" + v.method() + "`");
        }
        for (Bar bar : bars()) {
            perRound.row(ratioRow("`" + bar.name() + "`", bar.perRound()));
        }
        perRound.row(ratioRow("`" + overBare.name() + "` (not the bar)", overBare.perRound()));
        md.append(perRound.render());
        return md.toString();
    }

    /** What the run says about the two chain mechanisms, and why the ratio over {@code bare} is not the bar. */
    private void renderReading(StringBuilder md, Bar overBare, Bar inlineOverBare) {
        double separateChain = over(ChainVariant.SEPARATE, ChainVariant.HAND_WRITTEN);
        double fusedChain = over(ChainVariant.FUSED, ChainVariant.HAND_WRITTEN);
        double separatePassThrough = over(ChainVariant.SEPARATE_PASS_THROUGH, ChainVariant.BARE);
        double fusedPassThrough = over(ChainVariant.FUSED_PASS_THROUGH, ChainVariant.BARE);
        double inlineWork = over(ChainVariant.HAND_WRITTEN, ChainVariant.BARE);
        md.append("## Reading the result\n\n");
        md.append(String.format(Locale.ROOT, "What a chain costs beyond its middlewares' work, the two ways. With "
                        + "the working middlewares, separate handlers take %+.1f ns per request over doing the same "
                        + "work inline (`handWritten`; four more inbound handlers and two more outbound ones to "
                        + "pass) and the fused chain %+.1f ns: ratio %s. With pass-through middlewares, the four "
                        + "separate handlers take %+.1f ns over the application alone and the fused chain %+.1f ns: "
                        + "ratio %s. The two measures of each mechanism differ by %.1f ns (separate) and %.1f ns "
                        + "(fused); differences of ten ns or so are within the spread of the rounds (see the "
                        + "per-round figures). The design notes' reference for the bar is of the same kind: 16 hooks "
                        + "cost 25.7 ns fused against 85.7 ns as separate handlers, a ratio of %.2f.%n%n",
                separateChain, fusedChain, ratio(workingOverheadBar().ratio()), separatePassThrough,
                fusedPassThrough, ratio(passThroughOverheadBar().ratio()),
                Math.abs(separateChain - separatePassThrough), Math.abs(fusedChain - fusedPassThrough),
                25.7 / 85.7));
        md.append(String.format(Locale.ROOT, "Not the bar: the working chain's overhead taken over `bare`, "
                        + "`%s` = %s, counts the middlewares' own work (%.1f ns a request done inline, "
                        + "`handWritten` over `bare`) on both sides of the ratio. It cannot go below what the "
                        + "hand-written handler gives, `%s` = %s, a chain that costs nothing; with this much work "
                        + "against what separate handlers cost, that floor is %s 0.50, so it says how heavy the "
                        + "middlewares are more than how cheap the chain is.%n%n",
                overBare.name(), ratio(overBare.ratio()), inlineWork, inlineOverBare.name(),
                ratio(inlineOverBare.ratio()),
                Double.isNaN(inlineOverBare.ratio()) ? "undefined against"
                        : inlineOverBare.ratio() > OVERHEAD_BAR ? "above" : "at or below"));
    }

    private static String[] ratioRow(String name, double[] values) {
        List<String> cells = new ArrayList<>(List.of(name));
        Arrays.stream(values).mapToObj(CimChainReport::ratio).forEach(cells::add);
        return cells.toArray(String[]::new);
    }

    /** A piece's time, less making and releasing the answer for the pieces that write on one. */
    private double pieceTime(String piece) {
        return work.get(piece) - (ON_AN_ANSWER.contains(piece) ? work.get(ANSWER) : 0);
    }

    private void renderWorkPieces(StringBuilder md, double inline) {
        md.append(String.format(Locale.ROOT, "Where the work goes, piece by piece (`CimWorkBenchmark`: each piece "
                + "alone in a loop, in a JVM of its own, with the variants' settings; ns per piece, the fastest "
                + "iteration; the two pieces that write on an answer less the %.1f ns of making and releasing the "
                + "answer alone):%n%n", work.get(ANSWER)));
        md.append("| piece | ns alone |\n| --- | ---: |\n");
        double sum = 0;
        for (Map.Entry<String, String> piece : WORK_PIECES.entrySet()) {
            double ns = pieceTime(piece.getKey());
            sum += ns;
            md.append(String.format(Locale.ROOT, "| %s | %.1f |%n", piece.getValue(), ns));
        }
        md.append(String.format(Locale.ROOT, "| sum | %.1f |%n%n", sum));
        md.append(String.format(Locale.ROOT, "Alone, the pieces add up to %.1f ns, against the %.1f ns the same work "
                + "costs inline in a request (`handWritten` over `bare`)%s. The pieces measured alone vary by "
                + "several ns from run to run. On header writes: Netty 4.2 checks every character of a header's "
                + "name and value on each `set`, `AsciiString`s included (they only spare hashing the name again "
                + "and compare byte by byte), so `X-Response-Time`, whose value changes per request, pays that "
                + "each time; the CORS headers no longer do (`FixedHeaders`: checked once, copied with their "
                + "hashes). The rate limit's thread-local lookup is a few ns of its piece (Netty's slow path "
                + "through a `ThreadLocal` here, a JMH thread not being a `FastThreadLocalThread`; an array read "
                + "on an event loop), about what finding the buckets through the channel's event loop would cost "
                + "instead; its access-ordered map lookup keeps the least recently used keys evictable.%n%n",
                sum, inline, sum < 0.9 * inline ? "; the rest is the same calls in a request's setting: colder caches "
                        + "and branch history, and call sites the variants share compiled for all of them, where "
                        + "a piece alone has them to itself" : ""));
    }

    private static void renderWork(StringBuilder md) {
        md.append("## The chain and its work\n\n");
        md.append("`@MiddlewareChain({ApiKeyMiddleware, RateLimitMiddleware, TimingMiddleware, CorsMiddleware}, "
                + "allowedOrigins = \"").append(ChainRules.ALLOWED_ORIGIN).append("\")` "
                + "(`src/main/java/.../cim/BenchApiChain.java`), in front of an application that answers "
                + "`200` with a 24-byte JSON body. The measured request is a `GET` with the API key and the "
                + "allowed `Origin`, so every middleware takes its working path:\n\n");
        md.append("- API key (a bench-local middleware): `X-Api-Key` (an `AsciiString` name) looked up and compared "
                + "with a constant; 401 otherwise.\n");
        md.append("- Rate limit (the built-in `RateLimitMiddleware`; the other variants do the same steps in "
                + "`LoopRateLimiter`): the event loop's buckets from a `FastThreadLocal`, an owner-thread check, "
                + "the key from the remote address, a lookup in an access-ordered `LinkedHashMap` and a GCRA step. "
                + "The limit (10^9 requests/s, bursts of 10^6) never refuses.\n");
        md.append("- Timing (the built-in `TimingMiddleware`, `@AlwaysAfter`): a clock reading when the request "
                + "arrives and when its answer leaves, written as `X-Response-Time: <micros>us` (an "
                + "`AsciiString` name; the value a `String`).\n");
        md.append("- CORS (the built-in `CorsMiddleware`): the `Origin` looked up and matched against the allowed "
                + "one (a string switch), then `Access-Control-Allow-Origin` and `Vary: Origin` on the answer, "
                + "from `FixedHeaders` built and checked once per allowed origin.\n\n");
        md.append("The clock of every variant is a counter that steps one microsecond per reading (a "
                + "`LongSupplier`, as `CimConfig.nanoClock` takes), read three times per request in every working "
                + "variant (arrival, rate limit, timing). `System.nanoTime()` costs tens of ns a call on a virtual "
                + "machine and would be most of the middlewares' work.\n\n");
        md.append("The pass-through chain, `@MiddlewareChain({First, Second, Third, Fourth})` of "
                + "`PassThroughMiddlewares` (`src/main/java/.../cim/BenchPassThroughChain.java`), in front of the "
                + "same application: four middlewares whose hooks do the least a middleware can, every before "
                + "continues and the afters of `First` and `Fourth` return the response they are given (`Second` "
                + "and `Third` have no after), the shape of the working chain (two middlewares with an after, two "
                + "without). Each hook adds one to a plain counter field of its channel's tally, which the checks "
                + "read, so that a hook the JIT removed would be seen; the separate pass-through handlers count "
                + "the same way. The fused pass-through handler reads the stepping clock once per request, for "
                + "the context's arrival time.\n\n");
        md.append("**Why no JWT check:** the built-in `AuthMiddleware` parses a token and verifies its HMAC on "
                + "every request, work far larger than the few ns a pipeline hop costs (about 5 ns per working "
                + "handler on JDK 25 on this kind of machine); in a chain with it, every variant would measure "
                + "the JWT library and the differences this benchmark is about would vanish in its noise. A "
                + "header comparison stands in for authentication.\n\n");
    }

    private static void renderChecks(StringBuilder md) {
        md.append("## Checked before measuring\n\n");
        md.append("The runner, and then every fork again, sends each variant this script of "
                + "requests (each on a fresh request; the last two on a channel limited to one request a "
                + "second) and requires the answers, status, headers and body, to be exactly the fused chain's; "
                + "the requests must be released and nothing else written. The bare variant and the two "
                + "pass-through variants must answer every request as the application alone, and the pass-through "
                + "variants' hooks must have run exactly as often as their chain has hooks: "
                + ChainCheck.PASS_THROUGH_BEFORES + " befores (`channelRead`s passed on) and "
                + ChainCheck.PASS_THROUGH_AFTERS + " afters (`write`s passed on) per request. A variant that "
                + "skipped work, or hooks the JIT removed, would fail here. The measured channel's first answer, "
                + "and its hook count, are checked too, and after each round the pass-through channels' counts "
                + "must still be a whole number of requests' worth, more than that first one.\n\n");
        md.append("| request | fused chain's status |\n| --- | ---: |\n");
        for (ChainCheck.Step step : ChainCheck.SCRIPT) {
            md.append("| ").append(step.name()).append(" | ").append(step.fusedStatus()).append(" |\n");
        }
        ChainCheck.Answer measured = ChainCheck.transcript(ChainVariant.FUSED).get(0);
        md.append("\nThe answer every working variant gives the measured request: `").append(measured.status())
                .append("`, headers `").append(String.join("`, `", measured.headers())).append("`, body `")
                .append(measured.body()).append("`.\n\n");
        ChainCheck.Answer plain = ChainCheck.transcript(ChainVariant.BARE).get(0);
        md.append("The answer `bare`, `separatePassThrough` and `fusedPassThrough` give it: `").append(plain.status())
                .append("`, headers `").append(String.join("`, `", plain.headers())).append("`, body `")
                .append(plain.body()).append("`.\n\n");
    }
}
