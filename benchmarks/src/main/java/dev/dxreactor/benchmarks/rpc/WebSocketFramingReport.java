package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.benchmarks.ReportSupport;
import dev.dxreactor.benchmarks.report.Environment;
import dev.dxreactor.benchmarks.report.MarkdownTable;
import dev.dxreactor.benchmarks.report.ReportRun;
import dev.dxreactor.benchmarks.report.RoundFigures;

import java.util.List;
import java.util.Locale;

/**
 * rpc-websocket: what the WebSocket framing costs HBTP. The product's HBTP server and client straight over TCP
 * ({@code hbtp}, as in rpc-throughput) and over WebSocket ({@code hbtp-ws}: {@link HbtpWebSocketEcho}), the same
 * load, in alternating order round by round, each server and client in its own JVM on loopback. Writes
 * {@code benchmarks/results/rpc-websocket.md}.
 *
 * <p>Settings (system properties): {@code dx.bench.rounds} (3), {@code dx.bench.warmupSeconds} (10),
 * {@code dx.bench.seconds} (10), {@code dx.bench.transport} (dx-reactor's best), {@code dx.bench.payload} (64),
 * {@code dx.bench.out}.
 */
public final class WebSocketFramingReport {

    static final String HBTP_WS = "hbtp-ws";

    private WebSocketFramingReport() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("dx.bench.rounds", 3);
        double warmup = Double.parseDouble(System.getProperty("dx.bench.warmupSeconds", "10"));
        double seconds = Double.parseDouble(System.getProperty("dx.bench.seconds", "10"));
        String transport = System.getProperty("dx.bench.transport", ServerSettings.bestTransport());
        int payload = Integer.getInteger("dx.bench.payload", 64);
        String classPath = System.getProperty("java.class.path");
        List<Peer> peers = List.of(
                peer(RpcThroughputReport.HBTP, classPath, HbtpEchoServer.class, HbtpEchoClient.class, transport),
                peer(HBTP_WS, classPath, HbtpWebSocketEcho.Server.class, HbtpWebSocketEcho.Client.class, transport));
        try (ReportRun run = ReportRun.start("rpc-websocket")) {
            List<String> flags = ReportSupport.forkArgs(RpcThroughputReport.JVM_FLAGS.toArray(String[]::new));
            System.out.printf(Locale.ROOT, "rpc-websocket on %s: %d rounds, %.0f s warm-up + %.0f s each%n",
                    transport, rounds, warmup, seconds);
            PairRunner runner = new PairRunner(flags, List.of(run.environmentFlag()), warmup, seconds, payload);
            RpcRounds measured = new RpcRounds(rounds).run(peers, runner::measure);
            Environment env = run.finish();
            String markdown = render(env, measured, transport, payload, warmup, seconds, flags);
            run.publish(env, markdown, List.of(), summary(measured));
        }
    }

    private static Peer peer(String name, String classPath, Class<?> server, Class<?> client, String transport) {
        return new Peer(name, classPath, server.getName(), client.getName(), RpcThroughputReport.CONNECTIONS,
                RpcThroughputReport.IN_FLIGHT, transport, List.of());
    }

    static String summary(RpcRounds rounds) {
        RoundFigures t = rounds.throughput;
        return String.format(Locale.ROOT, "hbtp-ws / hbtp throughput (median of per-round ratios): %.3f%n",
                t.medianRatio(HBTP_WS, RpcThroughputReport.HBTP));
    }

    static String render(Environment env, RpcRounds rounds, String transport, int payload, double warmup,
                         double seconds, List<String> flags) {
        RoundFigures t = rounds.throughput;
        StringBuilder md = new StringBuilder("# rpc-websocket: HBTP over WebSocket beside HBTP over TCP, on ")
                .append(transport).append("\n\n");
        md.append(env.writtenBy(WebSocketFramingReport.class, ""));
        md.append("Figures come from a shared, noisy machine (").append(env.os()).append("): absolute numbers are "
                + "for orientation only; the ratio is measured in the same run, round by round, in alternating "
                + "order.\n\n");
        md.append(String.format(Locale.ROOT, "%d B requests and answers on loopback, %d connections x %d calls in "
                        + "flight, every answer checked byte for byte; the product's server (`HbtpServerConfig` "
                        + "defaults, one inline echo route) and client. Each figure is the median of %d rounds.%n%n",
                payload, RpcThroughputReport.CONNECTIONS, RpcThroughputReport.IN_FLIGHT, rounds.rounds()));
        MarkdownTable table = new MarkdownTable().left("protocol").right("requests/s")
                .right("lowest - highest round").right("/ hbtp").right("p50 µs").right("p99 µs")
                .right("server CPU µs/call").right("client CPU µs/call").right("errors");
        for (String peer : t.variants()) {
            table.row(peer, String.format(Locale.ROOT, "%.0f", t.median(peer)),
                    String.format(Locale.ROOT, "%.0f - %.0f", t.min(peer), t.max(peer)),
                    String.format(Locale.ROOT, "%.3f", t.medianRatio(peer, RpcThroughputReport.HBTP)),
                    String.format(Locale.ROOT, "%.0f", rounds.p50.median(peer)),
                    String.format(Locale.ROOT, "%.0f", rounds.p99.median(peer)),
                    cpu(rounds.serverCpu, peer), cpu(rounds.clientCpu, peer),
                    String.valueOf(rounds.errors.get(peer)));
        }
        md.append(table.render()).append('\n');
        md.append("Per round (requests/s):\n\n");
        MarkdownTable perRound = MarkdownTable.perRound(rounds.rounds(), "protocol");
        for (String peer : t.variants()) {
            perRound.row("%.0f", t.of(peer), peer);
        }
        md.append(perRound.render()).append('\n');
        md.append(env.howItWasRun().jdkOsAndLoad().netty()
                .row("Transport", transport)
                .row("Rounds", String.format(Locale.ROOT, "%d, each: server JVM, client JVM, %.0f s warm-up, %.0f s "
                        + "measured", rounds.rounds(), warmup, seconds))
                .row("JVM flags we set", "`" + String.join(" ", flags) + "`")
                .wallTime().render());
        return md.toString();
    }

    private static String cpu(RoundFigures cpu, String peer) {
        return cpu.has(peer) ? String.format(Locale.ROOT, "%.2f", cpu.median(peer)) : "-";
    }
}
