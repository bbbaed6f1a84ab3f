package dev.dxreactor.benchmarks.windows;

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
 * Runs {@link WindowsEchoBenchmark} and writes {@code benchmarks/results/windows-emulated.md}: the two Windows
 * transports, IOCP and AFD_POLL, on the <b>emulated</b> Windows kernel surface, against Netty's NIO transport on
 * loopback echo: request/response latency on one connection and throughput on
 * {@value WindowsEchoBenchmark#CONNECTIONS} connections, each with the ratios iocp/NIO, afdpoll/NIO and
 * iocp/afdpoll. There is no bar: an emulated figure is a statement about our code paths on the emulation, not
 * about Windows.
 *
 * <p>As the other reports: the run is made of rounds, each measuring the three transports on both loads once,
 * back to back, each in a fresh JVM, in an order that puts the three transports of a load next to each other
 * and is reversed every other round. A round's figure is the fastest of its many short measured iterations
 * (other processes on the machine only ever add time: a round trip crosses two event loop threads, and each
 * wake-up of one waits for a core), a figure the median of the rounds', and a ratio the median of the
 * per-round ratios (their spread is reported). Before anything is measured, the runner runs a short echo load
 * on each transport in its own JVM; every fork checks every echo byte for byte, and fails if one is wrong or the
 * emulated kernel caught operation memory released under a pending operation.
 *
 * <p>Settings (system properties): {@code dx.bench.rounds} (5), {@code dx.bench.warmupIterations} (6),
 * {@code dx.bench.warmupMillis} (1000), {@code dx.bench.measurementIterations} (12),
 * {@code dx.bench.measurementMillis} (250), {@code dx.bench.jvmArgs} (added to the forked JVMs' flags, space
 * separated), {@code dx.bench.out} (the results file), {@code dx.bench.verbose} (JMH's own output).
 */
public final class WindowsEmulatedReport {

    private static final String RESULTS_NAME = "windows-emulated";

    /** The two loads, in the order of a round. */
    enum Load {
        PING_PONG("pingPong", "request/response latency",
                "1 connection, 1 message of " + EchoMessage.SIZE + " B in flight (ping-pong)", "µs per round trip"),
        THROUGHPUT("throughput", "throughput", WindowsEchoBenchmark.CONNECTIONS + " connections x "
                + WindowsEchoBenchmark.WINDOW + " messages of " + EchoMessage.SIZE + " B in flight",
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

    private static final List<EchoTransport> TRANSPORTS = List.of(EchoTransport.IOCP, EchoTransport.AFDPOLL,
            EchoTransport.NIO);

    /** A ratio shown: {@code over}'s figure over {@code under}'s, per round. */
    private record Pair(EchoTransport over, EchoTransport under) {
        String label() {
            return over.parameter() + " / " + under.parameter();
        }
    }

    private static final List<Pair> PAIRS = List.of(new Pair(EchoTransport.IOCP, EchoTransport.NIO),
            new Pair(EchoTransport.AFDPOLL, EchoTransport.NIO), new Pair(EchoTransport.IOCP, EchoTransport.AFDPOLL));

    /** One fork: a load on a transport. */
    private record Turn(Load load, EchoTransport transport) {
    }

    /** A round's forks: each load on each transport, the three transports of a load side by side. */
    private static final List<Turn> ORDER = order();

    private static List<Turn> order() {
        List<Turn> turns = new ArrayList<>();
        for (Load load : Load.values()) {
            for (EchoTransport transport : TRANSPORTS) {
                turns.add(new Turn(load, transport));
            }
        }
        return List.copyOf(turns);
    }

    private final int rounds = Integer.getInteger("dx.bench.rounds", 5);
    // The emulated transports' round trip settles after about 6 s of echoing here (FFM downcalls and the
    // emulator's paths compile late); NIO's after about 3 s.
    private final int warmupIterations = Integer.getInteger("dx.bench.warmupIterations", 6);
    private final int warmupMillis = Integer.getInteger("dx.bench.warmupMillis", 1000);
    // Many short measured iterations, of which the fastest counts (see run).
    private final int measurementIterations = Integer.getInteger("dx.bench.measurementIterations", 12);
    private final int measurementMillis = Integer.getInteger("dx.bench.measurementMillis", 250);
    private final boolean verbose = Boolean.getBoolean("dx.bench.verbose");
    private final List<String> jvmArgs = ReportSupport.forkArgs(WindowsEchoBenchmark.NATIVE_ACCESS,
            WindowsEchoBenchmark.EMULATE, WindowsEchoBenchmark.NO_LEAK_DETECTION);
    private final ReportRun run;

    /** Per load and transport ({@link #variant}), each round's figure in ns per operation. */
    private final RoundFigures figures = new RoundFigures();

    private WindowsEmulatedReport(ReportRun run) {
        this.run = run;
    }

    public static void main(String[] args) throws Exception {
        JmhUnsafeWarningFilter.install();
        precheck();
        try (ReportRun run = ReportRun.start(RESULTS_NAME)) {
            WindowsEmulatedReport report = new WindowsEmulatedReport(run);
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
        System.out.printf(Locale.ROOT, "windows-emulated: %d rounds x %d loads x %d transports = %d JVM forks, "
                + "about %.0f s; forked JVM flags: %s%n", rounds, Load.values().length, TRANSPORTS.size(), forks,
                seconds, String.join(" ", jvmArgs));
        Interleaved.run(rounds, ORDER, (round, turn) -> figures.add(variant(turn.load(), turn.transport()),
                run(turn.load(), turn.transport())), this::printRound);
    }

    private void printRound(int r) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d/%d", r + 1, rounds));
        for (Load load : Load.values()) {
            line.append("  ").append(load.method).append(':');
            for (EchoTransport transport : TRANSPORTS) {
                line.append(String.format(Locale.ROOT, load == Load.PING_PONG ? " %s %.1f" : " %s %.0f",
                        transport.parameter(), shown(load, transport, r)));
            }
            line.append(' ').append(load.unit).append(" (");
            for (Pair pair : PAIRS) {
                line.append(String.format(Locale.ROOT, " %s %.3f", pair.label(), ratio(load, pair, r)));
            }
            line.append(" )");
        }
        System.out.println(line);
    }

    /**
     * One fresh JVM running one load on one transport: the fastest of its measured iterations, in ns per
     * operation. On this shared 2-core machine one fork's iterations varied fourfold, and a transport cannot run
     * faster than its code: the fastest of many short iterations is the one least disturbed by other processes.
     */
    private double run(Load load, EchoTransport transport) throws RunnerException {
        List<String> forkArgs = new ArrayList<>(jvmArgs);
        forkArgs.add(run.environmentFlag());
        Options options = ReportSupport.oneFork(ReportSupport.exactly(WindowsEchoBenchmark.class, load.method),
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

    /** One transport's figure shown over another's in one round: of the round trip time, or of the messages/s. */
    private double ratio(Load load, Pair pair, int round) {
        return shown(load, pair.over(), round) / shown(load, pair.under(), round);
    }

    private double[] ratios(Load load, Pair pair) {
        double[] values = new double[figures.of(variant(load, pair.over())).length];
        for (int r = 0; r < values.length; r++) {
            values[r] = ratio(load, pair, r);
        }
        return values;
    }

    /** The median of the rounds' figures, as shown. */
    private double shown(Load load, EchoTransport transport) {
        return load.shown(figures.median(variant(load, transport)));
    }

    /**
     * Per load, the three transports' medians with their rounds' spread as shown, and the per-round ratios to NIO
     * of both loads.
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
            charts.add(Chart.medians(load.method, load.what + " (iocp and afdpoll EMULATED)", load.unit, shown,
                    shown.variants()));
            for (Pair pair : PAIRS.subList(0, 2)) {
                ratios.put(load.what + ", " + pair.label(), ratios(load, pair));
            }
        }
        charts.add(Chart.ratios("ratios", "iocp and afdpoll (EMULATED) / NIO per round; no bar", ratios,
                Double.NaN));
        return charts;
    }

    private String summary() {
        StringBuilder sb = new StringBuilder();
        for (Load load : Load.values()) {
            sb.append(String.format(Locale.ROOT, "%-26s iocp %10.1f  afdpoll %10.1f  nio %10.1f %s%n", load.what,
                    shown(load, EchoTransport.IOCP), shown(load, EchoTransport.AFDPOLL),
                    shown(load, EchoTransport.NIO), load.unit));
            for (Pair pair : PAIRS) {
                sb.append(String.format(Locale.ROOT, "%-26s %-16s %.3f (rounds %s)%n", "", pair.label(),
                        Stats.median(ratios(load, pair)), spread(ratios(load, pair))));
            }
        }
        sb.append("EMULATED kernel surface: not a Windows figure; no bar.\n");
        return sb.toString();
    }

    private String render(Environment env) {
        StringBuilder md = new StringBuilder();
        md.append("# windows-emulated: the IOCP and AFD_POLL transports on the EMULATED Windows kernel against "
                + "Netty's NIO, loopback echo\n\n");
        md.append(env.writtenBy(WindowsEmulatedReport.class, ""));
        md.append("> **EMULATED: this is a statement about our code paths and the calls they make, not about "
                + "Windows, and there is no bar.** Both Windows transports ran on Linux over the emulated Windows "
                + "kernel surface of `transport-iocp` (`-Ddx.windows.emulate=true`): every kernel call is an FFM "
                + "downcall into libc (`recv`, `sendmsg`, `readv`, `poll`, `recv(MSG_PEEK)`, `epoll_wait`, "
                + "`eventfd`), each completion port is an epoll set of the sockets with work pending on it plus "
                + "a packet queue, and each port and each socket has its own lock. A completion therefore costs "
                + "here what the emulation spends to find and report it (epoll, a peek to tell data from FIN, a "
                + "packet through a Java queue), which is not what AFD or the I/O manager spend on Windows. What "
                + "the figures can say: both transports carry both loads correctly (every echo checked byte for "
                + "byte), and on the same emulated calls, how the completion model (iocp: an overlapped "
                + "`WSASend` and a packet per flush, a zero-byte `WSARecv` then `recv`) compares with the "
                + "readiness model (afdpoll: a one-shot AFD poll re-armed, `send` directly until the socket is "
                + "full) in calls and wake-ups per message. They cannot say how either compares with NIO (the "
                + "JDK's wepoll `Selector`) on Windows. NIO runs on Linux's epoll-based `Selector`, as in any "
                + "Linux deployment.\n\n");
        md.append("Figures come from a shared, noisy machine (").append(env.os())
                .append("): absolute numbers are for orientation only and are not comparable between runs; the "
                        + "ratios are measured in the same run, interleaved.\n\n");

        md.append("## Results\n\n");
        md.append("Each figure is the median of the rounds' figures; a round's figure is the fastest of its "
                + "measured iterations (other processes on the machine only ever add time, and a round trip "
                + "crosses two event loop threads that each wait for a core when woken). A ratio is one "
                + "transport's figure over another's, the median of the per-round ratios (the three transports "
                + "of a load ran back to back in every round): above 1 for the round trip and below 1 for "
                + "throughput mean the first is slower.\n\n");
        md.append("| load | figure | iocp (emulated) | afdpoll (emulated) | NIO |");
        for (Pair pair : PAIRS) {
            md.append(' ').append(pair.label()).append(" (rounds min - max) |");
        }
        md.append(" bar |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Load load : Load.values()) {
            String format = load == Load.PING_PONG ? "%.1f" : "%.0f";
            md.append(String.format(Locale.ROOT, "| %s: %s | %s | " + format + " | " + format + " | " + format
                            + " |", load.what, load.shape, load.unit, shown(load, EchoTransport.IOCP),
                    shown(load, EchoTransport.AFDPOLL), shown(load, EchoTransport.NIO)));
            for (Pair pair : PAIRS) {
                md.append(String.format(Locale.ROOT, " %.3f (%s) |", Stats.median(ratios(load, pair)),
                        spread(ratios(load, pair))));
            }
            md.append(" none (emulated) |\n");
        }
        md.append('\n');

        md.append("## What is measured\n\n");
        md.append("Source: `src/main/java/.../windows/WindowsEchoBenchmark.java` (JMH) and `EchoLoad.java`. All "
                + "three transports run the same code: a server on one event loop that writes back what it reads "
                + "and flushes once per read burst, and clients on another event loop (`TCP_NODELAY` on both "
                + "sides) that each keep a fixed number of " + EchoMessage.SIZE + "-byte messages in flight, send "
                + "the next one as each echo comes back, and flush once per read burst. Every message differs by "
                + "connection and sequence number, and every echo is checked byte for byte against the message it "
                + "answers (a wrong or missing echo fails the fork). The load runs on the event loops from the "
                + "trial's set-up to its tear-down; a benchmark call waits, parked, for the next echoes, so the "
                + "measuring thread takes no CPU from the loops.\n\n");
        md.append(String.format(Locale.ROOT, "- `pingPong`: 1 connection, 1 message in flight; one call waits for "
                + "%d round trips, and JMH's ns per operation is ns per round trip.%n",
                WindowsEchoBenchmark.ROUND_TRIPS));
        md.append(String.format(Locale.ROOT, "- `throughput`: %d connections, %d messages in flight on each; one "
                        + "call waits for %d echoes, and JMH's ns per operation is ns per echoed message, whose "
                        + "inverse is the messages per second shown.%n%n", WindowsEchoBenchmark.CONNECTIONS,
                WindowsEchoBenchmark.WINDOW, WindowsEchoBenchmark.WINDOW_ECHOES));
        md.append("iocp runs with `IocpConfig.defaults()` (zero-byte `WSARecv` then `recv`, one `WSASend` in "
                + "flight per connection, 256 packets per dequeue), afdpoll with `AfdPollConfig.defaults()` "
                + "(helper handles, 32 sockets each, 256 packets per dequeue). At tear-down every iocp and afdpoll "
                + "fork also checks that the emulated kernel reported no operation memory released under a "
                + "pending operation.\n\n");

        md.append(env.howItWasRun()
                .jdkOsAndLoad()
                .netty()
                .unsafe("not used")
                .jvmFlags(jvmArgs, ", the same for all three transports: FFM for the emulated kernel, the emulated "
                        + "kernel itself (NIO ignores it), and leak detection disabled (the tests run it paranoid, "
                        + "which would be measured too)")
                .jmh(String.format(Locale.ROOT, "average time; %d rounds, each forking a fresh JVM per load and "
                        + "transport: %d x %d ms warm-up, %d x %d ms measured, the round's figure the fastest "
                        + "measured iteration; in each round the loads pingPong then throughput, iocp, afdpoll "
                        + "then NIO, the whole order reversed every other round", rounds, warmupIterations,
                        warmupMillis, measurementIterations, measurementMillis))
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
            for (Pair pair : PAIRS) {
                perRound.row("%.3f", ratios(load, pair), load.method + ", " + pair.label());
            }
        }
        md.append(perRound.render());
        return md.toString();
    }

    private static String spread(double[] values) {
        return String.format(Locale.ROOT, "%.3f - %.3f", Stats.min(values), Stats.max(values));
    }
}
