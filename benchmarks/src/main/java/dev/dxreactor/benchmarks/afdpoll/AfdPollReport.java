package dev.dxreactor.benchmarks.afdpoll;

import dev.dxreactor.benchmarks.JmhUnsafeWarningFilter;
import dev.dxreactor.benchmarks.ReportSupport;
import dev.dxreactor.benchmarks.report.Chart;
import dev.dxreactor.benchmarks.report.Environment;
import dev.dxreactor.benchmarks.report.Interleaved;
import dev.dxreactor.benchmarks.report.MarkdownTable;
import dev.dxreactor.benchmarks.report.ReportRun;
import dev.dxreactor.benchmarks.report.RoundFigures;
import dev.dxreactor.benchmarks.report.Stats;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs {@link AfdPollEchoBenchmark} and writes {@code benchmarks/results/afdpoll-emulated.md}: the AFD_POLL
 * transport, on the <b>emulated</b> Windows kernel surface, against Netty's NIO transport on loopback echo:
 * request/response latency on one connection and throughput on {@value AfdPollEchoBenchmark#CONNECTIONS}
 * connections, each with the ratio afdpoll/NIO. There is no bar: an emulated figure says nothing about
 * Windows.
 *
 * <p>As the other reports: the run is made of rounds, each measuring both transports on both loads once,
 * back to back, each in a fresh JVM, in an order that puts the two transports of a load next to each other
 * and is reversed every other round. A round's figure is the fastest of its many short measured iterations
 * (other processes on the machine only ever add time: a round trip crosses two event loop threads, and each
 * wake-up of one waits for a core), a figure the median of the rounds', and a ratio the median of the
 * per-round ratios (their spread is reported). Before
 * anything is measured, the runner runs a short echo load on both transports in its own JVM; every fork
 * checks every echo byte for byte, and fails if one is wrong or the emulated kernel caught poll memory
 * released under a pending operation.
 *
 * <p>Settings (system properties): {@code dx.bench.rounds} (5), {@code dx.bench.warmupIterations} (6),
 * {@code dx.bench.warmupMillis} (1000), {@code dx.bench.measurementIterations} (12),
 * {@code dx.bench.measurementMillis} (250), {@code dx.bench.jvmArgs} (added to the forked JVMs' flags, space
 * separated), {@code dx.bench.out} (the results file), {@code dx.bench.verbose} (JMH's own output).
 */
public final class AfdPollReport {

    private static final String RESULTS_NAME = "afdpoll-emulated";

    /** The two loads, in the order of a round. */
    enum Load {
        PING_PONG("pingPong", "request/response latency",
                "1 connection, 1 message of " + EchoMessage.SIZE + " B in flight (ping-pong)", "µs per round trip"),
        THROUGHPUT("throughput", "throughput", AfdPollEchoBenchmark.CONNECTIONS + " connections x "
                + AfdPollEchoBenchmark.WINDOW + " messages of " + EchoMessage.SIZE + " B in flight",
                "messages per second");

        final String method;
        final String what;
        final String shape;
        final String unit;

        Load(String method, String what, String shape, String unit) {
            this.method = method;
            this.what = what;
            this.shape = shape;
            this.unit = unit;
        }

        /** The figure shown, from JMH's ns per operation (a round trip, or one echoed message). */
        double shown(double nsPerOperation) {
            return this == PING_PONG ? nsPerOperation / 1000 : 1e9 / nsPerOperation;
        }
    }

    private static final List<EchoTransport> TRANSPORTS = List.of(EchoTransport.AFDPOLL, EchoTransport.NIO);

    /** One fork: a load on a transport. */
    private record Turn(Load load, EchoTransport transport) {
    }

    /** A round's forks: each load on each transport, the two transports of a load side by side. */
    private static final List<Turn> ORDER = List.of(new Turn(Load.PING_PONG, EchoTransport.AFDPOLL),
            new Turn(Load.PING_PONG, EchoTransport.NIO), new Turn(Load.THROUGHPUT, EchoTransport.AFDPOLL),
            new Turn(Load.THROUGHPUT, EchoTransport.NIO));

    private final int rounds = Integer.getInteger("dx.bench.rounds", 5);
    // The emulated transport's round trip settles after about 6 s of echoing here (FFM downcalls and the
    // emulator's lock path compile late); NIO's after about 3 s.
    private final int warmupIterations = Integer.getInteger("dx.bench.warmupIterations", 6);
    private final int warmupMillis = Integer.getInteger("dx.bench.warmupMillis", 1000);
    // Many short measured iterations, of which the fastest counts (see run).
    private final int measurementIterations = Integer.getInteger("dx.bench.measurementIterations", 12);
    private final int measurementMillis = Integer.getInteger("dx.bench.measurementMillis", 250);
    private final boolean verbose = Boolean.getBoolean("dx.bench.verbose");
    private final List<String> jvmArgs = ReportSupport.forkArgs(AfdPollEchoBenchmark.NATIVE_ACCESS,
            AfdPollEchoBenchmark.EMULATE, AfdPollEchoBenchmark.NO_LEAK_DETECTION);
    private final ReportRun run;

    /** Per load and transport ({@link #variant}), each round's figure in ns per operation. */
    private final RoundFigures figures = new RoundFigures();

    private AfdPollReport(ReportRun run) {
        this.run = run;
    }

    public static void main(String[] args) throws Exception {
        JmhUnsafeWarningFilter.install();
        precheck();
        try (ReportRun run = ReportRun.start(RESULTS_NAME)) {
            AfdPollReport report = new AfdPollReport(run);
            report.measure();
            Environment env = run.finish();
            run.publish(env, report.render(env), report.charts(), report.summary());
        }
    }

    /**
     * Minutes of measuring are worth nothing if a transport echoes wrongly: a short load on each first, in this
     * JVM, on the emulated kernel as in the forks.
     */
    private static void precheck() throws InterruptedException {
        System.setProperty("dx.windows.emulate", "true");
        for (EchoTransport transport : TRANSPORTS) {
            EchoLoad load = EchoLoad.start(transport, 4, 4);
            try {
                load.awaitEchoes(2000);
            } finally {
                load.close();
            }
            System.out.println("checked: " + transport.parameter() + " (kernel: " + transport.kernel()
                    + ") echoes every message byte for byte");
        }
    }

    private void measure() throws Exception {
        int forks = rounds * Load.values().length * TRANSPORTS.size();
        double seconds = forks * ((warmupIterations * warmupMillis + measurementIterations * measurementMillis)
                / 1000.0 + 3.0);
        System.out.printf(Locale.ROOT, "afdpoll-emulated: %d rounds x %d loads x %d transports = %d JVM forks, "
                + "about %.0f s; forked JVM flags: %s%n", rounds, Load.values().length, TRANSPORTS.size(), forks,
                seconds, String.join(" ", jvmArgs));
        Interleaved.run(rounds, ORDER, (round, turn) -> figures.add(variant(turn.load(), turn.transport()),
                run(turn.load(), turn.transport())), r -> System.out.printf(Locale.ROOT, "round %d/%d  round trip: "
                        + "afdpoll %.1f  nio %.1f µs (%.2fx)  throughput: afdpoll %.0f  nio %.0f messages/s (%.3fx)%n",
                r + 1, rounds, shown(Load.PING_PONG, EchoTransport.AFDPOLL, r),
                shown(Load.PING_PONG, EchoTransport.NIO, r), ratio(Load.PING_PONG, r),
                shown(Load.THROUGHPUT, EchoTransport.AFDPOLL, r), shown(Load.THROUGHPUT, EchoTransport.NIO, r),
                ratio(Load.THROUGHPUT, r)));
    }

    /**
     * One fresh JVM running one load on one transport: the fastest of its measured iterations, in ns per
     * operation. On this shared 2-core machine one fork's iterations varied fourfold, and a transport cannot run
     * faster than its code: the fastest of many short iterations is the one least disturbed by other processes.
     */
    private double run(Load load, EchoTransport transport) throws RunnerException {
        List<String> forkArgs = new ArrayList<>(jvmArgs);
        forkArgs.add(run.environmentFlag());
        Options options = ReportSupport.oneFork(ReportSupport.exactly(AfdPollEchoBenchmark.class, load.method),
                        forkArgs, warmupIterations, warmupMillis, measurementIterations, measurementMillis, verbose)
                .param("transport", transport.parameter())
                .build();
        return Stats.min(ReportSupport.iterationScores(
                ReportSupport.runOne(options, load.method + " on " + transport.parameter(), verbose)));
    }

    private static String variant(Load load, EchoTransport transport) {
        return load.method + " on " + transport.parameter();
    }

    private double at(Load load, EchoTransport transport, int round) {
        return figures.of(variant(load, transport))[round];
    }

    private double shown(Load load, EchoTransport transport, int round) {
        return load.shown(at(load, transport, round));
    }

    /** afdpoll over NIO of the figure shown: of the round trip time, or of the messages per second. */
    private double ratio(Load load, int round) {
        return shown(load, EchoTransport.AFDPOLL, round) / shown(load, EchoTransport.NIO, round);
    }

    private double[] ratios(Load load) {
        double[] values = new double[figures.of(variant(load, EchoTransport.AFDPOLL)).length];
        for (int r = 0; r < values.length; r++) {
            values[r] = ratio(load, r);
        }
        return values;
    }

    /** The median of the rounds' figures, as shown. */
    private double shown(Load load, EchoTransport transport) {
        return load.shown(figures.median(variant(load, transport)));
    }

    /**
     * Per load, the two transports' medians with their rounds' spread as shown, and the per-round ratios of both
     * loads.
     */
    private List<Chart> charts() {
        List<Chart> charts = new ArrayList<>();
        Map<String, double[]> ratios = new LinkedHashMap<>();
        for (Load load : Load.values()) {
            RoundFigures shown = new RoundFigures();
            for (EchoTransport transport : TRANSPORTS) {
                for (double figure : figures.of(variant(load, transport))) {
                    shown.add(transport.parameter(), load.shown(figure));
                }
            }
            charts.add(Chart.medians(load.method, load.what + " (afdpoll EMULATED)", load.unit, shown,
                    shown.variants()));
            ratios.put(load.what + ", afdpoll / NIO", ratios(load));
        }
        charts.add(Chart.ratios("ratios", "afdpoll (EMULATED) / NIO per round; no bar", ratios, Double.NaN));
        return charts;
    }

    private String summary() {
        StringBuilder sb = new StringBuilder();
        for (Load load : Load.values()) {
            sb.append(String.format(Locale.ROOT, "%-26s afdpoll (emulated) %10.1f  nio %10.1f %s  afdpoll/nio "
                            + "%.3f (rounds %s)%n", load.what, shown(load, EchoTransport.AFDPOLL),
                    shown(load, EchoTransport.NIO), load.unit, Stats.median(ratios(load)), spread(ratios(load))));
        }
        sb.append("EMULATED kernel surface: not a Windows figure; no bar.\n");
        return sb.toString();
    }

    private String render(Environment env) {
        StringBuilder md = new StringBuilder();
        md.append("# afdpoll-emulated: the AFD_POLL transport on the EMULATED Windows kernel against Netty's NIO, "
                + "loopback echo\n\n");
        md.append(env.writtenBy(AfdPollReport.class, ""));
        md.append("> **EMULATED: this is not a Windows figure, and there is no bar.** The AFD_POLL transport ran on "
                + "Linux over the emulated Windows kernel surface of `transport-iocp` (`-Ddx.windows.emulate=true`). "
                + "The emulator evaluates every dequeue by calling `poll(2)` on each socket with a pending operation "
                + "on that completion port (and `recv(MSG_PEEK)` on the readable ones), then blocks in one `poll(2)` "
                + "over all of them, and every emulated call (poll submit, cancel, `recv`, `send`, dequeue) takes "
                + "one lock shared by all event loops. So the afdpoll figures measure the transport's Java code "
                + "above the kernel surface **plus** that emulation, whose cost grows with the sockets per loop "
                + "and serializes the server and client loops; on Windows, AFD evaluates a poll in the kernel, "
                + "per socket, with no such lock. NIO runs on Linux's epoll-based `Selector`, as it would in any "
                + "Linux deployment. The comparison shows that the transport carries both loads correctly "
                + "(every echo checked byte for byte) and how far the emulated stack is from NIO on this machine; "
                + "it cannot say whether the transport beats NIO (the JDK's wepoll `Selector`) on Windows.\n\n");
        md.append("Figures come from a shared, noisy machine (").append(env.os())
                .append("): absolute numbers are for orientation only and are not comparable between runs; the "
                        + "ratios are measured in the same run, interleaved.\n\n");

        md.append("## Results\n\n");
        md.append("Each figure is the median of the rounds' figures; a round's figure is the fastest of its "
                + "measured iterations (other processes on the machine only ever add time, and a round trip "
                + "crosses two event loop threads that each wait for a core when woken). The ratio is afdpoll's "
                + "figure over NIO's, the median of the per-round ratios (the two transports of a load ran back "
                + "to back in every round): above 1 for the round trip and below 1 for throughput mean afdpoll "
                + "is slower.\n\n");
        md.append("| load | figure | afdpoll (emulated) | NIO | afdpoll / NIO | per-round ratio (min - max) | bar |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | --- |\n");
        for (Load load : Load.values()) {
            String format = load == Load.PING_PONG ? "%.1f" : "%.0f";
            md.append(String.format(Locale.ROOT, "| %s: %s | %s | " + format + " | " + format + " | %.3f | %s | "
                            + "none (emulated) |%n", load.what, load.shape, load.unit,
                    shown(load, EchoTransport.AFDPOLL), shown(load, EchoTransport.NIO), Stats.median(ratios(load)),
                    spread(ratios(load))));
        }
        md.append('\n');

        md.append("## What is measured\n\n");
        md.append("Source: `src/main/java/.../afdpoll/AfdPollEchoBenchmark.java` (JMH) and `EchoLoad.java`. Both "
                + "transports run the same code: a server on one event loop that writes back what it reads and "
                + "flushes once per read burst, and clients on another event loop (`TCP_NODELAY` on both sides) "
                + "that each keep a fixed number of " + EchoMessage.SIZE + "-byte messages in flight, send the "
                + "next one as each echo comes back, and flush once per read burst. Every message differs by "
                + "connection and sequence number, and every echo is checked byte for byte against the message it "
                + "answers (a wrong or missing echo fails the fork). The load runs on the event loops from the "
                + "trial's set-up to its tear-down; a benchmark call waits, parked, for the next echoes, so the "
                + "measuring thread takes no CPU from the loops.\n\n");
        md.append(String.format(Locale.ROOT, "- `pingPong`: 1 connection, 1 message in flight; one call waits for "
                + "%d round trips, and JMH's ns per operation is ns per round trip.%n",
                AfdPollEchoBenchmark.ROUND_TRIPS));
        md.append(String.format(Locale.ROOT, "- `throughput`: %d connections, %d messages in flight on each; one "
                        + "call waits for %d echoes, and JMH's ns per operation is ns per echoed message, whose "
                        + "inverse is the messages per second shown.%n%n", AfdPollEchoBenchmark.CONNECTIONS,
                AfdPollEchoBenchmark.WINDOW, AfdPollEchoBenchmark.WINDOW_ECHOES));
        md.append("afdpoll runs with `AfdPollConfig.defaults()` (helper handles, 32 sockets each, 256 packets per "
                + "dequeue). At tear-down every afdpoll fork also checks that the emulated kernel reported no poll "
                + "memory released under a pending operation.\n\n");

        md.append(env.howItWasRun()
                .jdkOsAndLoad()
                .netty()
                .unsafe("not used")
                .jvmFlags(jvmArgs, ", the same for both transports: FFM for the emulated kernel, the emulated kernel "
                        + "itself (NIO ignores it), and leak detection disabled (the tests run it paranoid, which "
                        + "would be measured too)")
                .jmh(String.format(Locale.ROOT, "average time; %d rounds, each forking a fresh JVM per load and "
                        + "transport: %d x %d ms warm-up, %d x %d ms measured, the round's figure the fastest "
                        + "measured iteration; in each round the loads pingPong then throughput, afdpoll then NIO, "
                        + "the whole order reversed every other round", rounds, warmupIterations, warmupMillis,
                        measurementIterations, measurementMillis))
                .wallTime()
                .render());

        md.append("## Per-round figures\n\n");
        md.append("The even-numbered rounds ran in reverse order.\n\n");
        MarkdownTable perRound = MarkdownTable.perRound(rounds, "");
        for (Load load : Load.values()) {
            String format = load == Load.PING_PONG ? "%.1f" : "%.0f";
            for (EchoTransport transport : TRANSPORTS) {
                double[] shown = figures.of(variant(load, transport)).clone();
                for (int r = 0; r < shown.length; r++) {
                    shown[r] = load.shown(shown[r]);
                }
                perRound.row(format, shown, load.method + ", " + transport.parameter() + ", " + load.unit);
            }
            perRound.row("%.3f", ratios(load), load.method + ", afdpoll / NIO");
        }
        md.append(perRound.render());
        return md.toString();
    }

    private static String spread(double[] values) {
        return String.format(Locale.ROOT, "%.3f - %.3f", Stats.min(values), Stats.max(values));
    }
}
