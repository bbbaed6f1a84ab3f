package dev.dxreactor.benchmarks.afdpoll;

import dev.dxreactor.benchmarks.ForkEnvironment;
import dev.dxreactor.benchmarks.ReportSupport;
import dev.dxreactor.benchmarks.JmhUnsafeWarningFilter;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;

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
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import static dev.dxreactor.benchmarks.ReportSupport.loadAverage;
import static dev.dxreactor.benchmarks.ReportSupport.median;
import static dev.dxreactor.benchmarks.ReportSupport.resultsFile;
import static dev.dxreactor.benchmarks.ReportSupport.unsafeLine;

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

    private static final String BENCHMARK = AfdPollEchoBenchmark.class.getName();
    private static final String RESULTS_NAME = "afdpoll-emulated.md";

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

    private final int rounds = Integer.getInteger("dx.bench.rounds", 5);
    // The emulated transport's round trip settles after about 6 s of echoing here (FFM downcalls and the
    // emulator's lock path compile late); NIO's after about 3 s.
    private final int warmupIterations = Integer.getInteger("dx.bench.warmupIterations", 6);
    private final int warmupMillis = Integer.getInteger("dx.bench.warmupMillis", 1000);
    // Many short measured iterations, of which the fastest counts (see run).
    private final int measurementIterations = Integer.getInteger("dx.bench.measurementIterations", 12);
    private final int measurementMillis = Integer.getInteger("dx.bench.measurementMillis", 250);
    private final boolean verbose = Boolean.getBoolean("dx.bench.verbose");
    private final List<String> jvmArgs;
    private final Path environmentFile;

    /** Per load and transport, each round's figure in ns per operation. */
    private final Map<Load, Map<EchoTransport, List<Double>>> figures = new EnumMap<>(Load.class);
    private double loadAtStart;
    private double loadAtEnd;

    private AfdPollReport(Path environmentFile) {
        this.environmentFile = environmentFile;
        List<String> args = new ArrayList<>(List.of(AfdPollEchoBenchmark.NATIVE_ACCESS,
                AfdPollEchoBenchmark.EMULATE, AfdPollEchoBenchmark.NO_LEAK_DETECTION));
        String extra = System.getProperty("dx.bench.jvmArgs", "").strip();
        if (!extra.isEmpty()) {
            args.addAll(Arrays.asList(extra.split("\\s+")));
        }
        this.jvmArgs = List.copyOf(args);
        for (Load load : Load.values()) {
            Map<EchoTransport, List<Double>> perTransport = new EnumMap<>(EchoTransport.class);
            TRANSPORTS.forEach(t -> perTransport.put(t, new ArrayList<>()));
            figures.put(load, perTransport);
        }
    }

    public static void main(String[] args) throws Exception {
        JmhUnsafeWarningFilter.install();
        precheck();
        Path out = resultsFile(RESULTS_NAME);
        Path env = Files.createTempFile("dx-bench-env", ".properties");
        try {
            AfdPollReport report = new AfdPollReport(env);
            long start = System.nanoTime();
            report.loadAtStart = loadAverage();
            report.measure();
            report.loadAtEnd = loadAverage();
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

    /** {@code benchmarks/results/} from the project root, or {@code results/} from benchmarks/ itself. */

    private void measure() throws RunnerException {
        int forks = rounds * Load.values().length * TRANSPORTS.size();
        double seconds = forks * ((warmupIterations * warmupMillis + measurementIterations * measurementMillis)
                / 1000.0 + 3.0);
        System.out.printf(Locale.ROOT, "afdpoll-emulated: %d rounds x %d loads x %d transports = %d JVM forks, "
                + "about %.0f s; forked JVM flags: %s%n", rounds, Load.values().length, TRANSPORTS.size(), forks,
                seconds, String.join(" ", jvmArgs));
        for (int round = 0; round < rounds; round++) {
            List<Load> loads = new ArrayList<>(List.of(Load.values()));
            List<EchoTransport> transports = new ArrayList<>(TRANSPORTS);
            // Reversing every other round keeps a slow drift of the machine from favouring one side.
            if (round % 2 == 1) {
                Collections.reverse(loads);
                Collections.reverse(transports);
            }
            for (Load load : loads) {
                for (EchoTransport transport : transports) {
                    figures.get(load).get(transport).add(run(load, transport));
                }
            }
            int r = round;
            System.out.printf(Locale.ROOT, "round %d/%d  round trip: afdpoll %.1f  nio %.1f µs (%.2fx)  "
                            + "throughput: afdpoll %.0f  nio %.0f messages/s (%.3fx)%n", round + 1, rounds,
                    shown(Load.PING_PONG, EchoTransport.AFDPOLL, r), shown(Load.PING_PONG, EchoTransport.NIO, r),
                    ratio(Load.PING_PONG, r), shown(Load.THROUGHPUT, EchoTransport.AFDPOLL, r),
                    shown(Load.THROUGHPUT, EchoTransport.NIO, r), ratio(Load.THROUGHPUT, r));
        }
    }

    /**
     * One fresh JVM running one load on one transport: the fastest of its measured iterations, in ns per
     * operation. On this shared 2-core machine one fork's iterations varied fourfold, and a transport cannot run
     * faster than its code: the fastest of many short iterations is the one least disturbed by other processes.
     */
    private double run(Load load, EchoTransport transport) throws RunnerException {
        List<String> forkArgs = new ArrayList<>(jvmArgs);
        forkArgs.add("-D" + ForkEnvironment.FILE_PROPERTY + "=" + environmentFile);
        Options options = ReportSupport.oneFork("^" + Pattern.quote(BENCHMARK + "." + load.method) + "$",
                        forkArgs, warmupIterations, warmupMillis, measurementIterations, measurementMillis, verbose)
                .param("transport", transport.parameter())
                .build();
        return ReportSupport.min(ReportSupport.iterationScores(
                ReportSupport.runOne(options, load.method + " on " + transport.parameter(), verbose)));
    }

    private double at(Load load, EchoTransport transport, int round) {
        return figures.get(load).get(transport).get(round);
    }

    private double shown(Load load, EchoTransport transport, int round) {
        return load.shown(at(load, transport, round));
    }

    /** afdpoll over NIO of the figure shown: of the round trip time, or of the messages per second. */
    private double ratio(Load load, int round) {
        return shown(load, EchoTransport.AFDPOLL, round) / shown(load, EchoTransport.NIO, round);
    }

    private double[] ratios(Load load) {
        double[] values = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            values[r] = ratio(load, r);
        }
        return values;
    }

    /** The median of the rounds' figures, as shown. */
    private double shown(Load load, EchoTransport transport) {
        return load.shown(median(figures.get(load).get(transport).stream().mapToDouble(Double::doubleValue)
                .toArray()));
    }

    private String summary() {
        StringBuilder sb = new StringBuilder();
        for (Load load : Load.values()) {
            sb.append(String.format(Locale.ROOT, "%-26s afdpoll (emulated) %10.1f  nio %10.1f %s  afdpoll/nio "
                            + "%.3f (rounds %s)%n", load.what, shown(load, EchoTransport.AFDPOLL),
                    shown(load, EchoTransport.NIO), load.unit, median(ratios(load)), spread(ratios(load))));
        }
        sb.append("EMULATED kernel surface: not a Windows figure; no bar.\n");
        return sb.toString();
    }

    private String render(Properties env, Duration took) {
        StringBuilder md = new StringBuilder();
        md.append("# afdpoll-emulated: the AFD_POLL transport on the EMULATED Windows kernel against Netty's NIO, "
                + "loopback echo\n\n");
        md.append("Written by `").append(AfdPollReport.class.getName()).append("` on ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
                .append(" UTC; rerun it (command in `benchmarks/README.md`) rather than editing this file.\n\n");
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
        md.append("Figures come from a shared, noisy machine (").append(env.getProperty("os", "?"))
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
                    shown(load, EchoTransport.AFDPOLL), shown(load, EchoTransport.NIO), median(ratios(load)),
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

        md.append("## How it was run\n\n");
        md.append("| | |\n| --- | --- |\n");
        md.append("| JDK | ").append(env.getProperty("java.version", "?")).append(", ")
                .append(env.getProperty("java.vm", "?")).append(" |\n");
        md.append("| OS, CPUs | ").append(env.getProperty("os", "?")).append(" |\n");
        md.append(String.format(Locale.ROOT, "| Load average (1 min) | %.2f when the run started, %.2f when it "
                + "ended; other processes on the machine count too |%n", loadAtStart, loadAtEnd));
        md.append("| Netty | ").append(env.getProperty("netty.version", "?")).append(", allocator ")
                .append(env.getProperty("netty.allocator", "?")).append(", leak detection ")
                .append(env.getProperty("netty.leakDetection", "?")).append(" |\n");
        md.append("| `sun.misc.Unsafe` in Netty | ").append(unsafeLine(env, "not used")).append(" |\n");
        md.append("| JVM flags we set | `").append(String.join(" ", jvmArgs)).append("`, the same for both "
                + "transports: FFM for the emulated kernel, the emulated kernel itself (NIO ignores it), and leak "
                + "detection disabled (the tests run it paranoid, which would be measured too) |\n");
        md.append("| JVM flags as seen in a fork | `").append(env.getProperty("jvm.args", "?"))
                .append("` (the rest are JMH's own) |\n");
        md.append(String.format(Locale.ROOT, "| JMH | %s, average time; %d rounds, each forking a fresh JVM per "
                        + "load and transport: %d x %d ms warm-up, %d x %d ms measured, the round's figure the "
                        + "fastest measured iteration; in each round the loads pingPong then throughput, afdpoll "
                        + "then NIO, the whole order reversed every other round |%n",
                "JMH " + org.openjdk.jmh.util.Version.getPlainVersion(), rounds, warmupIterations, warmupMillis,
                measurementIterations, measurementMillis));
        md.append("| Wall time | ").append(took.toSeconds()).append(" s |\n\n");

        md.append("## Per-round figures\n\n");
        md.append("The even-numbered rounds ran in reverse order.\n\n");
        md.append("| |");
        for (int r = 1; r <= rounds; r++) {
            md.append(" round ").append(r).append(" |");
        }
        md.append("\n| --- |").append(" ---: |".repeat(rounds)).append('\n');
        for (Load load : Load.values()) {
            String format = load == Load.PING_PONG ? " %.1f |" : " %.0f |";
            for (EchoTransport transport : TRANSPORTS) {
                md.append("| ").append(load.method).append(", ").append(transport.parameter()).append(", ")
                        .append(load.unit).append(" |");
                for (int r = 0; r < rounds; r++) {
                    md.append(String.format(Locale.ROOT, format, shown(load, transport, r)));
                }
                md.append('\n');
            }
            md.append("| ").append(load.method).append(", afdpoll / NIO |");
            for (double ratio : ratios(load)) {
                md.append(String.format(Locale.ROOT, " %.3f |", ratio));
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** The one-minute load average: with 2 CPUs, anything near 1 or above means a fork had company. */

    private static String spread(double[] values) {
        return String.format(Locale.ROOT, "%.3f - %.3f", Arrays.stream(values).min().orElseThrow(),
                Arrays.stream(values).max().orElseThrow());
    }
}
