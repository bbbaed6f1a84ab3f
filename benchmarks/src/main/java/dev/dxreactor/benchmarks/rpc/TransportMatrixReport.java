package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.benchmarks.ReportSupport;
import dev.dxreactor.benchmarks.report.Chart;
import dev.dxreactor.benchmarks.report.Environment;
import dev.dxreactor.benchmarks.report.MarkdownTable;
import dev.dxreactor.benchmarks.report.ReportRun;
import dev.dxreactor.benchmarks.report.RoundFigures;
import dev.dxreactor.transport.TransportProvider;
import dev.dxreactor.transport.Transports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.Map;

/**
 * transport-matrix: the product's HBTP server and client (as in rpc-throughput) on every transport dx-reactor has
 * on this machine, both ends on the same one, in the same interleaved rounds. The Windows transports (AFD_POLL and
 * IOCP) run on the emulated Windows kernel surface ({@code -Ddx.windows.emulate=true}, given to their JVMs only)
 * and are labelled EMULATED. Writes {@code benchmarks/results/transport-matrix.md} with PNG charts.
 *
 * <p>Settings (system properties): {@code dx.bench.rounds} (5), {@code dx.bench.warmupSeconds} (20),
 * {@code dx.bench.seconds} (10), {@code dx.bench.transports} (comma separated; default every available one),
 * {@code dx.bench.payload} (64), {@code dx.bench.jvmArgs}, {@code dx.bench.out}.
 */
public final class TransportMatrixReport {

    static final String EMULATE_FLAG = "-Ddx.windows.emulate=true";
    static final String AFDPOLL = "afdpoll";
    static final String IOCP = "iocp";
    /** The Windows transports, which run here on the emulated kernel surface only. */
    static final Set<String> EMULATED = Set.of(AFDPOLL, IOCP);
    static final String NIO = "nio";

    private TransportMatrixReport() {
    }

    public static void main(String[] args) throws Exception {
        int roundCount = Integer.getInteger("dx.bench.rounds", 5);
        double warmup = Double.parseDouble(System.getProperty("dx.bench.warmupSeconds", "20"));
        double seconds = Double.parseDouble(System.getProperty("dx.bench.seconds", "10"));
        int payload = Integer.getInteger("dx.bench.payload", 64);
        List<String> transports = transports(System.getProperty("dx.bench.transports"));
        try (ReportRun run = ReportRun.start("transport-matrix")) {
            List<Peer> peers = peers(transports, System.getProperty("java.class.path"));
            List<String> flags = ReportSupport.forkArgs(RpcThroughputReport.JVM_FLAGS.toArray(String[]::new));
            System.out.printf(Locale.ROOT, "transport-matrix: %d rounds of %s, %.0f s warm-up + %.0f s each%n",
                    roundCount, peers.stream().map(Peer::name).toList(), warmup, seconds);
            PairRunner runner = new PairRunner(flags, List.of(run.environmentFlag()), warmup, seconds, payload);
            RpcRounds rounds = new RpcRounds(roundCount).run(peers, runner::measure);
            Environment env = run.finish();
            run.publish(env, render(env, rounds, peers, flags, warmup, seconds, payload), charts(rounds),
                    summary(rounds));
        }
    }

    /**
     * The transports asked for, or every one dx-reactor finds usable here, AFD_POLL included when the emulated
     * Windows kernel can carry it.
     */
    static List<String> transports(String asked) {
        if (asked != null && !asked.isBlank()) {
            return Arrays.stream(asked.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
        }
        // Only for the availability check: the emulated kernel is what the afdpoll JVMs will run on.
        String before = System.getProperty("dx.windows.emulate");
        System.setProperty("dx.windows.emulate", "true");
        try {
            return Transports.available().stream().map(TransportProvider::name).toList();
        } finally {
            if (before == null) {
                System.clearProperty("dx.windows.emulate");
            } else {
                System.setProperty("dx.windows.emulate", before);
            }
        }
    }

    static List<Peer> peers(List<String> transports, String classPath) {
        List<Peer> peers = new ArrayList<>();
        for (String transport : transports) {
            boolean emulated = EMULATED.contains(transport);
            peers.add(new Peer(label(transport), classPath, HbtpEchoServer.class.getName(),
                    HbtpEchoClient.class.getName(), RpcThroughputReport.CONNECTIONS, RpcThroughputReport.IN_FLIGHT,
                    transport, emulated ? List.of(EMULATE_FLAG) : List.of()));
        }
        return List.copyOf(peers);
    }

    static String label(String transport) {
        return EMULATED.contains(transport) ? transport + " (EMULATED)" : transport;
    }

    private static String summary(RpcRounds rounds) {
        StringBuilder sb = new StringBuilder();
        for (String peer : rounds.throughput.variants()) {
            sb.append(String.format(Locale.ROOT, "hbtp on %-20s %12.0f req/s  p50 %6.0f us  p99 %6.0f us  errors %d%n",
                    peer, rounds.throughput.median(peer), rounds.p50.median(peer), rounds.p99.median(peer),
                    rounds.errors.get(peer)));
        }
        return sb.toString();
    }

    static String render(Environment env, RpcRounds rounds, List<Peer> peers, List<String> flags, double warmup,
                         double seconds, int payload) {
        RoundFigures t = rounds.throughput;
        List<String> names = t.variants();
        boolean hasNio = t.has(NIO);
        StringBuilder md = new StringBuilder();
        md.append("# transport-matrix: the product's HBTP server and client on every transport of this machine\n\n");
        md.append(env.writtenBy(TransportMatrixReport.class, ""));
        md.append("Figures come from a shared, noisy machine (").append(env.os()).append("): absolute numbers are "
                + "for orientation only; the ratios are measured in the same run, round by round.\n\n");
        if (t.has(label(AFDPOLL)) || t.has(label(IOCP))) {
            md.append("> **afdpoll and iocp are EMULATED: not Windows figures.** The Windows transports ran on "
                    + "Linux over the emulated Windows kernel surface of `transport-iocp` (`" + EMULATE_FLAG
                    + "`, given to their JVMs only), which evaluates every dequeue by polling each socket with a "
                    + "pending operation behind one lock; it shows that HBTP runs correctly on them, not how fast "
                    + "they are on Windows.\n\n");
        }
        md.append("## Results\n\n");
        md.append(String.format(Locale.ROOT, "`HbtpEchoServer` and `HbtpEchoClient` as in rpc-throughput (product "
                + "defaults), both ends on the transport of the row, %d connections x %d in flight, %d B requests "
                + "and answers, every answer checked byte for byte. Each figure is the median of %d rounds; the "
                + "ratio to NIO is the median of the per-round ratios.%n%n", RpcThroughputReport.CONNECTIONS,
                RpcThroughputReport.IN_FLIGHT, payload, rounds.rounds()));
        MarkdownTable results = new MarkdownTable().left("transport").right("requests/s")
                .right("lowest - highest round").right("/ nio").right("p50 µs").right("p99 µs").right("errors");
        for (String name : names) {
            results.row(name, String.format(Locale.ROOT, "%.0f", t.median(name)),
                    String.format(Locale.ROOT, "%.0f - %.0f", t.min(name), t.max(name)),
                    hasNio ? String.format(Locale.ROOT, "%.3f", t.medianRatio(name, NIO)) : "-",
                    String.format(Locale.ROOT, "%.0f", rounds.p50.median(name)),
                    String.format(Locale.ROOT, "%.0f", rounds.p99.median(name)), String.valueOf(rounds.errors.get(name)));
        }
        md.append(results.render()).append('\n');
        md.append(env.howItWasRun()
                .jdkOsAndLoad()
                .netty()
                .row("JVM flags (every server and client)", "`" + String.join(" ", flags) + "`; afdpoll's and "
                        + "iocp's JVMs also `" + EMULATE_FLAG + "`")
                .row("Rounds", String.format(Locale.ROOT, "%d, each running every transport once (server JVM, then "
                        + "client JVM), the order reversed every other round; %.0f s warm-up, %.0f s measured per "
                        + "run", rounds.rounds(), warmup, seconds))
                .row("Transports", String.join(", ", peers.stream().map(Peer::transport).toList()))
                .wallTime()
                .render());
        md.append("## Per-round figures\n\n");
        md.append("The even-numbered rounds ran in reverse order.\n\n");
        MarkdownTable perRound = MarkdownTable.perRound(rounds.rounds(), "");
        for (String name : names) {
            perRound.row("%.0f", t.of(name), name + ", requests/s");
        }
        if (hasNio) {
            for (String name : names) {
                if (!NIO.equals(name)) {
                    perRound.row("%.3f", t.ratios(name, NIO), name + " / nio");
                }
            }
        }
        md.append(perRound.render());
        return md.toString();
    }

    static List<Chart> charts(RpcRounds rounds) {
        List<String> names = rounds.throughput.variants();
        List<Chart> charts = new ArrayList<>();
        charts.add(Chart.medians("throughput", "HBTP requests per second by transport (median, lowest and highest "
                + "round)", "requests/s", rounds.throughput, names));
        Map<String, List<Double>> latency = new LinkedHashMap<>();
        latency.put("p50", names.stream().map(n -> Math.max(1, rounds.p50.median(n))).toList());
        latency.put("p99", names.stream().map(n -> Math.max(1, rounds.p99.median(n))).toList());
        charts.add(Chart.grouped("latency", "HBTP latency percentiles by transport (median of the rounds)",
                "µs (log scale)", names, latency, true));
        return charts;
    }
}
