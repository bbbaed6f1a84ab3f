package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.benchmarks.ReportSupport;
import dev.dxreactor.benchmarks.report.Chart;
import dev.dxreactor.benchmarks.report.Environment;
import dev.dxreactor.benchmarks.report.MarkdownTable;
import dev.dxreactor.benchmarks.report.ReportRun;
import dev.dxreactor.benchmarks.report.RoundFigures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * rpc-throughput: the product's HBTP server and client against gRPC-java unary, RSocket-java request-response,
 * Netty HTTP/1.1 keep-alive, raw Netty length-prefixed echo, and a lean HBTP server written from the spec (a
 * ceiling, not the product), each server and client in its own JVM, on loopback. Writes
 * {@code benchmarks/results/rpc-throughput.md} (or {@code rpc-throughput-<transport>.md} for another transport
 * than the best) with PNG charts.
 *
 * <p>Settings (system properties): {@code dx.bench.rounds} (5), {@code dx.bench.warmupSeconds} (20),
 * {@code dx.bench.seconds} (10), {@code dx.bench.transport} (dx-reactor's best), {@code dx.bench.protocols}
 * (comma separated, of {@link #ALL}; {@link #DEFAULT} if unset), {@code dx.bench.payload} (64),
 * {@code dx.bench.rsocketJar} (the RSocket
 * peer's jar; without it RSocket is left out), {@code dx.bench.jvmArgs} (added to every JVM's flags),
 * {@code dx.bench.out} (the results file).
 */
public final class RpcThroughputReport {

    static final String RAW = "raw";
    static final String RAW_ONE_BUFFER = "raw-onebuf";
    static final String HBTP = "hbtp";
    static final String LEAN = "hbtp-lean";
    /** The product's server with its Micrometer meters on: what metrics cost. */
    static final String HBTP_METRICS = "hbtp+metrics";
    /** The product's server and the lean server again, both driven by the lean client: the servers' own speed. */
    static final String HBTP_LEAN_CLIENT = "hbtp@lean-client";
    static final String LEAN_LEAN_CLIENT = "hbtp-lean@lean-client";
    static final String HTTP = "http1";
    static final String GRPC = "grpc";
    static final String RSOCKET = "rsocket";
    /** What a run measures unless {@code dx.bench.protocols} says otherwise. */
    static final List<String> DEFAULT = List.of(RAW, HBTP, LEAN, HBTP_LEAN_CLIENT, LEAN_LEAN_CLIENT, HBTP_METRICS,
            HTTP, GRPC, RSOCKET);
    static final List<String> ALL = List.of(RAW, RAW_ONE_BUFFER, HBTP, LEAN, HBTP_LEAN_CLIENT, LEAN_LEAN_CLIENT,
            HBTP_METRICS, HTTP, GRPC, RSOCKET);
    /** Metrics may cost the product's server at most this much throughput. */
    static final double METRICS_BAR = 0.95;

    static final String RSOCKET_SERVER = "dev.dxreactor.benchmarks.rsocket.RSocketEchoServer";
    static final String RSOCKET_CLIENT = "dev.dxreactor.benchmarks.rsocket.RSocketEchoClient";

    /**
     * The flags of every server and client JVM, whatever the protocol: a fixed heap, one collector, native access
     * for io_uring/epoll and dx-reactor, and leak detection off for Netty 4.2, for gRPC's shaded Netty (its own
     * property name) and for RSocket's Netty 4.1.
     */
    static final List<String> JVM_FLAGS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseParallelGC",
            "--enable-native-access=ALL-UNNAMED", "-Dio.netty.leakDetection.level=disabled",
            "-Dio.grpc.netty.shaded.io.netty.leakDetection.level=disabled");

    static final int CONNECTIONS = 16;
    static final int IN_FLIGHT = 16;
    static final int HTTP_CONNECTIONS = 256;

    /** The bars, judged on io_uring and on epoll. */
    static final double LEAN_BAR = 0.95;
    static final double RAW_BAR = 1.2;
    static final double RSOCKET_BAR = 2.5;
    static final double GRPC_BAR = 8;
    static final double P99_BAR = 1.2;

    private RpcThroughputReport() {
    }

    /** What a run is asked to do, from the system properties. */
    record Settings(int rounds, double warmupSeconds, double seconds, String transport, List<String> protocols,
                    int payload, String rsocketJar) {

        static Settings fromSystemProperties() {
            String protocols = System.getProperty("dx.bench.protocols", String.join(",", DEFAULT));
            return new Settings(Integer.getInteger("dx.bench.rounds", 5),
                    Double.parseDouble(System.getProperty("dx.bench.warmupSeconds", "20")),
                    Double.parseDouble(System.getProperty("dx.bench.seconds", "10")),
                    System.getProperty("dx.bench.transport", ServerSettings.bestTransport()),
                    Arrays.stream(protocols.split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList(),
                    Integer.getInteger("dx.bench.payload", 64), System.getProperty("dx.bench.rsocketJar"));
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        String name = settings.transport().equals(ServerSettings.bestTransport()) ? "rpc-throughput"
                : "rpc-throughput-" + settings.transport();
        try (ReportRun run = ReportRun.start(name)) {
            Lineup lineup = lineup(settings, System.getProperty("java.class.path"));
            List<String> flags = ReportSupport.forkArgs(JVM_FLAGS.toArray(String[]::new));
            System.out.printf(Locale.ROOT, "rpc-throughput on %s: %d rounds of %s, %.0f s warm-up + %.0f s each; "
                            + "JVM flags %s%n%s", settings.transport(), settings.rounds(),
                    lineup.peers().stream().map(Peer::name).toList(), settings.warmupSeconds(), settings.seconds(),
                    String.join(" ", flags), lineup.leftOut().isEmpty() ? "" : lineup.leftOut() + "\n");
            PairRunner runner = new PairRunner(flags, List.of(run.environmentFlag()), settings.warmupSeconds(),
                    settings.seconds(), settings.payload());
            RpcRounds rounds = new RpcRounds(settings.rounds()).run(lineup.peers(), runner::measure);
            Environment env = run.finish();
            List<Bar> bars = bars(rounds, settings.transport());
            run.publish(env, render(env, settings, lineup, rounds, bars, flags), charts(rounds),
                    summary(rounds, bars));
        }
    }

    /** The peers a run measures, and a sentence on any asked for but left out. */
    record Lineup(List<Peer> peers, String leftOut) {
    }

    static Lineup lineup(Settings settings, String classPath) {
        List<Peer> peers = new ArrayList<>();
        String leftOut = "";
        for (String protocol : settings.protocols()) {
            String transport = settings.transport();
            switch (protocol) {
                case RAW -> peers.add(multiplexed(RAW, classPath, RawEchoServer.class, RawEchoClient.class,
                        transport));
                case RAW_ONE_BUFFER -> peers.add(multiplexed(RAW_ONE_BUFFER, classPath, RawEchoServer.OneBuffer.class,
                        RawEchoClient.class, transport));
                case HBTP -> peers.add(multiplexed(HBTP, classPath, HbtpEchoServer.class, HbtpEchoClient.class,
                        transport));
                case LEAN -> peers.add(multiplexed(LEAN, classPath, LeanHbtpServer.class, HbtpEchoClient.class,
                        transport));
                case HBTP_LEAN_CLIENT -> peers.add(multiplexed(HBTP_LEAN_CLIENT, classPath, HbtpEchoServer.class,
                        LeanHbtpClient.class, transport));
                case LEAN_LEAN_CLIENT -> peers.add(multiplexed(LEAN_LEAN_CLIENT, classPath, LeanHbtpServer.class,
                        LeanHbtpClient.class, transport));
                case HBTP_METRICS -> peers.add(multiplexed(HBTP_METRICS, classPath,
                        HbtpEchoServer.WithMetrics.class, HbtpEchoClient.class, transport));
                case HTTP -> peers.add(new Peer(HTTP, classPath, HttpEchoServer.class.getName(),
                        HttpEchoClient.class.getName(), HTTP_CONNECTIONS, 1, transport, List.of()));
                case GRPC -> peers.add(multiplexed(GRPC, classPath, GrpcEchoServer.class, GrpcEchoClient.class,
                        transport));
                case RSOCKET -> {
                    String jar = settings.rsocketJar();
                    if (jar == null || jar.isBlank()) {
                        leftOut = "RSocket left out: -Ddx.bench.rsocketJar (the RSocket peer's jar, with its own "
                                + "Netty 4.1) was not set.";
                    } else if (!Files.isRegularFile(Path.of(jar))) {
                        leftOut = "RSocket left out: -Ddx.bench.rsocketJar=" + jar + " is not a file.";
                    } else {
                        peers.add(new Peer(RSOCKET, jar, RSOCKET_SERVER, RSOCKET_CLIENT, CONNECTIONS, IN_FLIGHT,
                                transport, List.of()));
                    }
                }
                default -> throw new IllegalArgumentException("unknown protocol " + protocol + "; known: " + ALL);
            }
        }
        return new Lineup(List.copyOf(peers), leftOut);
    }

    /** A peer of this jar with the multiplexed load, {@link #CONNECTIONS} x {@link #IN_FLIGHT}. */
    private static Peer multiplexed(String name, String classPath, Class<?> server, Class<?> client,
                                    String transport) {
        return new Peer(name, classPath, server.getName(), client.getName(), CONNECTIONS, IN_FLIGHT, transport,
                List.of());
    }

    /** A bar: the figure, the threshold and whether the figure must be at least or at most it. */
    record Bar(String what, double figure, double threshold, boolean atLeast, String note) {

        /** A bar whose figure could not be measured in this run. */
        static Bar notRun(String what, double threshold, boolean atLeast, String why) {
            return new Bar(what, Double.NaN, threshold, atLeast, why);
        }

        String verdict() {
            if (Double.isNaN(figure)) {
                return "NOT RUN";
            }
            return (atLeast ? figure >= threshold : figure <= threshold) ? "PASS" : "FAIL";
        }

        String required() {
            return String.format(Locale.ROOT, "%s %.2fx", atLeast ? ">=" : "<=", threshold);
        }
    }

    /**
     * The bars of the product's server, each the median of its per-round ratio (the two peers measured in the
     * same round), and that every answer was right.
     */
    static List<Bar> bars(RpcRounds rounds, String transport) {
        List<Bar> bars = new ArrayList<>();
        RoundFigures t = rounds.throughput;
        String judged = "io_uring".equals(transport) || "epoll".equals(transport) ? ""
                : "the bars are set for io_uring and epoll, this run is on " + transport;
        bars.add(ratioBar(t, "throughput, hbtp / hbtp-lean", HBTP, LEAN, LEAN_BAR, true, judged));
        bars.add(ratioBar(t, "throughput, servers only: hbtp / hbtp-lean, both @lean-client", HBTP_LEAN_CLIENT,
                LEAN_LEAN_CLIENT, LEAN_BAR, true, judged));
        bars.add(ratioBar(t, "throughput, hbtp / raw", HBTP, RAW, RAW_BAR, true, judged));
        bars.add(ratioBar(t, "throughput, hbtp / rsocket", HBTP, RSOCKET, RSOCKET_BAR, true, judged));
        bars.add(ratioBar(t, "throughput, hbtp / grpc", HBTP, GRPC, GRPC_BAR, true, judged));
        bars.add(ratioBar(rounds.p99, "p99 latency, hbtp / raw", HBTP, RAW, P99_BAR, false, judged));
        // The raw echo's client is as lean as the lean HBTP client: this pair leaves the product's client out.
        bars.add(ratioBar(rounds.p99, "p99 latency, servers only: hbtp@lean-client / raw", HBTP_LEAN_CLIENT, RAW,
                P99_BAR, false, judged));
        bars.add(ratioBar(t, "throughput, metrics on: hbtp+metrics / hbtp", HBTP_METRICS, HBTP, METRICS_BAR, true,
                judged));
        return bars;
    }

    private static Bar ratioBar(RoundFigures figures, String what, String of, String over, double threshold,
                                boolean atLeast, String note) {
        if (!figures.has(of) || !figures.has(over)) {
            return Bar.notRun(what, threshold, atLeast, (figures.has(of) ? over : of) + " not measured");
        }
        return new Bar(what, figures.medianRatio(of, over), threshold, atLeast, note);
    }

    static String summary(RpcRounds rounds, List<Bar> bars) {
        StringBuilder sb = new StringBuilder();
        for (String peer : rounds.throughput.variants()) {
            sb.append(String.format(Locale.ROOT, "%-10s %12.0f req/s  p50 %6.0f us  p99 %6.0f us  errors %d%n", peer,
                    rounds.throughput.median(peer), rounds.p50.median(peer), rounds.p99.median(peer),
                    rounds.errors.get(peer)));
        }
        for (Bar bar : bars) {
            String figure = Double.isNaN(bar.figure()) ? "-" : String.format(Locale.ROOT, "%.3f", bar.figure());
            sb.append(String.format(Locale.ROOT, "%-30s %8s  %s  %s%n", bar.what(), figure, bar.required(),
                    bar.verdict()));
        }
        sb.append(rounds.totalErrors() == 0 ? "every answer checked byte for byte: no errors\n"
                : "ERRORS: " + rounds.totalErrors() + " wrong, failed or missing answers\n");
        return sb.toString();
    }

    private static String describe(String peer) {
        return switch (peer) {
            case RAW -> "raw Netty 4.2 echo, u32 length prefix (`LengthFieldBasedFrameDecoder` + "
                    + "`LengthFieldPrepender`)";
            case RAW_ONE_BUFFER -> "raw echo writing each frame back as it came, prefix included (no prepender): "
                    + "the least any length-prefixed protocol costs";
            case HBTP -> "**product** HBTP: `HbtpServerInitializer` with `HbtpServerConfig` defaults, `HbtpClient` "
                    + "defaults";
            case LEAN -> "lean HBTP server from the spec (a ceiling, not the product), product `HbtpClient`";
            case HBTP_LEAN_CLIENT -> "the product's server as in `hbtp`, driven by the lean HBTP client "
                    + "(`LeanHbtpClient`, not the product)";
            case LEAN_LEAN_CLIENT -> "the lean HBTP server, driven by the lean HBTP client";
            case HBTP_METRICS -> "the product's server as in `hbtp`, its Micrometer meters on (`meterRegistry`: "
                    + "call timer with p50/p99 and histogram, counts, gauges; `SimpleMeterRegistry`), product client";
            case HTTP -> "Netty 4.2 HTTP/1.1 keep-alive, `POST /echo`, aggregated";
            case GRPC -> "gRPC-java unary (`grpc-netty-shaded`, Netty 4.1, epoll), raw `byte[]` marshaller, "
                    + "`directExecutor()` on both ends";
            case RSOCKET -> "RSocket-java request-response (its own jar, Netty 4.1), zero-copy frame decoder";
            default -> peer;
        };
    }

    private static String cpu(RoundFigures figures, String peer) {
        return figures.has(peer) ? String.format(Locale.ROOT, "%.2f", figures.median(peer)) : "-";
    }

    static String render(Environment env, Settings settings, Lineup lineup, RpcRounds rounds, List<Bar> bars,
                         List<String> flags) {
        RoundFigures t = rounds.throughput;
        List<String> peers = t.variants();
        StringBuilder md = new StringBuilder();
        md.append("# rpc-throughput: HBTP against gRPC, RSocket, HTTP/1.1 and raw echo, on ")
                .append(settings.transport()).append("\n\n");
        md.append(env.writtenBy(RpcThroughputReport.class, ""));
        md.append("Figures come from a shared, noisy machine (").append(env.os()).append("): absolute numbers are "
                + "for orientation only; the ratios are measured in the same run, round by round.\n\n");
        if (!lineup.leftOut().isEmpty()) {
            md.append("> ").append(lineup.leftOut()).append("\n\n");
        }
        md.append("## Results\n\n");
        md.append(String.format(Locale.ROOT, "%d B requests and answers on loopback; every answer checked byte for "
                + "byte. Each figure is the median of %d rounds; the ratio to raw is the median of the per-round "
                + "ratios.%n%n", settings.payload(), rounds.rounds()));
        MarkdownTable results = new MarkdownTable().left("protocol").left("what runs").left("connections x in flight")
                .right("requests/s").right("lowest - highest round").right("/ raw").right("p50 µs").right("p99 µs")
                .right("server CPU µs/call").right("client CPU µs/call").right("errors");
        for (String peer : peers) {
            String shape = (HTTP.equals(peer) ? HTTP_CONNECTIONS + " x 1" : CONNECTIONS + " x " + IN_FLIGHT);
            String toRaw = t.has(RAW) ? String.format(Locale.ROOT, "%.3f", t.medianRatio(peer, RAW)) : "-";
            results.row(peer, describe(peer), shape, String.format(Locale.ROOT, "%.0f", t.median(peer)),
                    String.format(Locale.ROOT, "%.0f - %.0f", t.min(peer), t.max(peer)), toRaw,
                    String.format(Locale.ROOT, "%.0f", rounds.p50.median(peer)),
                    String.format(Locale.ROOT, "%.0f", rounds.p99.median(peer)),
                    cpu(rounds.serverCpu, peer), cpu(rounds.clientCpu, peer),
                    String.valueOf(rounds.errors.get(peer)));
        }
        md.append(results.render()).append('\n');

        md.append("## Bars (product HBTP server and client on ").append(settings.transport()).append(")\n\n");
        md.append("Each figure is the median of the per-round ratios of the product's figure over the peer's. The "
                + "bars are set for io_uring and for epoll; each run covers one transport (`-Ddx.bench.transport`).\n\n");
        MarkdownTable barTable = new MarkdownTable().left("bar").right("figure").right("required").left("verdict")
                .left("note");
        for (Bar bar : bars) {
            barTable.row(bar.what(), Double.isNaN(bar.figure()) ? "-"
                    : String.format(Locale.ROOT, "%.3f", bar.figure()), bar.required(), bar.verdict(), bar.note());
        }
        barTable.row("errors (wrong, failed or missing answers), all protocols", String.valueOf(rounds.totalErrors()),
                "= 0", rounds.totalErrors() == 0 ? "PASS" : "FAIL", "");
        md.append(barTable.render()).append('\n');

        md.append("## What is measured\n\n");
        md.append("Source: `src/main/java/.../rpc/`. For each protocol a server main and a client main, each run "
                + "in its own JVM by the driver (`RpcThroughputReport`, `PairRunner`), on 127.0.0.1. The server "
                + "runs one event loop thread (`--workers 1`), the client one event loop; both ends set "
                + "`TCP_NODELAY`. Each client opens its connections, keeps its requests in flight on each (a new "
                + "request as soon as an answer is back), each request carrying its id and bytes derived from it, "
                + "and checks every answer byte for byte (a wrong answer, a failure or an answer missing 10 s "
                + "after the window is an error). Answers are counted and their latency (send to answer, "
                + "HdrHistogram, µs) recorded only in the measured window, after the warm-up; throughput is the "
                + "answers counted over the window's seconds. The CPU time per call is what each whole process (every "
                + "thread, kernel time included) spent in the window, as the OS reports it, over the answers "
                + "counted: with both ends on 2 shared cores, a cheaper server leaves more CPU to its client, so "
                + "this column compares the servers' own cost even where the client limits the throughput.\n\n");
        md.append("- Netty 4.2 servers and clients (raw, HBTP, lean HBTP, HTTP/1.1) run on dx-reactor's `")
                .append(settings.transport()).append("` transport; gRPC on its shaded Netty 4.1 (epoll where "
                        + "available, NIO if `nio` was asked for); RSocket as its own README says.\n");
        md.append("- The raw echo is the one `benchmarks.md` names and a Netty user writes: "
                + "`LengthFieldBasedFrameDecoder` (prefix stripped), `LengthFieldPrepender`, one flush per read "
                + "burst. `raw-onebuf`, where run, writes each frame back as it came (no prepender): the least any "
                + "length-prefixed protocol costs.\n");
        md.append("- The lean HBTP server is written from `hbtp-v1.md` alone (`LeanHbtpServer`): a "
                + "`LengthFieldBasedFrameDecoder` on the header's length, a real HELLO / HELLO_ACK exchange (no "
                + "capability agreed), each RPC_CALL answered by an RPC_RESPONSE written over the call's own "
                + "frame, one flush per read burst; no keepalive, no in-flight or memory limits. It is the "
                + "ceiling the product's server is compared with: in `hbtp-lean` driven by the product's client, "
                + "like `hbtp`.\n");
        md.append("- The lean HBTP client (`LeanHbtpClient`, not the product either) is its counterpart: a real "
                + "HELLO, each call one frame built in one buffer, its sequence a free in-flight slot's number, "
                + "one flush per read burst. It costs less per call than the product's client, so "
                + "`hbtp@lean-client` against `hbtp-lean@lean-client` compares the two servers where the client "
                + "limits them least; the product's client is judged by `hbtp` against `raw`.\n");
        md.append("- The product runs as a user configures it: `HbtpServerConfig.builder().router(...).build()` "
                + "and `HbtpClientConfig.builder().eventLoop(...).build()`, every limit and the keepalive on; the "
                + "client writes each request body straight into the buffer the call is sent in "
                + "(`HbtpClient.call(route, sizeHint, BodyWriter)`) and completes each call's "
                + "`CompletableFuture`.\n");
        md.append("- The peers are favoured: gRPC with `directExecutor()` on both ends and a `byte[]` marshaller "
                + "(no protobuf), one channel per connection; HTTP/1.1 with 256 keep-alive connections x 1 in "
                + "flight (it has no multiplexing); the raw echo and HTTP/1.1 clients flush once per read burst. "
                + "Every client builds its requests and checks its answers the same way, through one bulk copy "
                + "to or from a per-thread array.\n\n");

        md.append(env.howItWasRun()
                .jdkOsAndLoad()
                .netty()
                .row("JVM flags (every server and client)", "`" + String.join(" ", flags) + "`, the same for "
                        + "every protocol")
                .row("Rounds", String.format(Locale.ROOT, "%d, each running every protocol once (server JVM, then "
                                + "client JVM), the order reversed every other round; %.0f s warm-up, %.0f s "
                                + "measured per run", rounds.rounds(), settings.warmupSeconds(),
                        settings.seconds()))
                .row("Transport asked for", settings.transport())
                .wallTime()
                .render());

        md.append("## Per-round figures\n\n");
        md.append("The even-numbered rounds ran in reverse order.\n\n");
        MarkdownTable perRound = MarkdownTable.perRound(rounds.rounds(), "");
        for (String peer : peers) {
            perRound.row("%.0f", t.of(peer), peer + ", requests/s");
        }
        if (t.has(RAW)) {
            for (String peer : peers) {
                if (!RAW.equals(peer)) {
                    perRound.row("%.3f", t.ratios(peer, RAW), peer + " / raw, throughput");
                }
            }
        }
        for (String peer : peers) {
            perRound.row("%.0f", rounds.p99.of(peer), peer + ", p99 µs");
        }
        md.append(perRound.render());
        return md.toString();
    }

    static List<Chart> charts(RpcRounds rounds) {
        List<String> peers = rounds.throughput.variants();
        List<Chart> charts = new ArrayList<>();
        charts.add(Chart.medians("throughput", "requests per second (median, lowest and highest round)",
                "requests/s", rounds.throughput, peers));
        Map<String, List<Double>> latency = new LinkedHashMap<>();
        latency.put("p50", peers.stream().map(p -> Math.max(1, rounds.p50.median(p))).toList());
        latency.put("p99", peers.stream().map(p -> Math.max(1, rounds.p99.median(p))).toList());
        charts.add(Chart.grouped("latency", "latency percentiles (median of the rounds)", "µs (log scale)", peers,
                latency, true));
        if (rounds.throughput.has(RAW)) {
            Map<String, double[]> ratios = new LinkedHashMap<>();
            for (String peer : peers) {
                if (!RAW.equals(peer)) {
                    ratios.put(peer + " / raw", rounds.throughput.ratios(peer, RAW));
                }
            }
            charts.add(Chart.ratios("ratios", "throughput over raw echo's, per round", ratios, RAW_BAR));
        }
        return charts;
    }
}
