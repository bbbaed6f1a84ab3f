package dev.dxreactor.benchmarks.rpc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** rpc-throughput's bars (the median per-round ratio against each threshold), its round order and its line-up. */
class RpcThroughputReportTest {

    private static RpcResult result(double perSecond, long p99) {
        return new RpcResult(Math.round(perSecond * 10), 0, 10, p99 / 2, p99 / 2, p99, p99, p99);
    }

    private static Map<String, String> verdicts(RpcRounds rounds) {
        return RpcThroughputReport.bars(rounds, "epoll").stream()
                .collect(Collectors.toMap(RpcThroughputReport.Bar::what, RpcThroughputReport.Bar::verdict));
    }

    @Test
    void figuresExactlyAtEveryThresholdPass() {
        RpcRounds rounds = new RpcRounds(1);
        rounds.add("hbtp", result(5700, 120));
        rounds.add("hbtp-lean", result(6000, 100));
        rounds.add("hbtp@lean-client", result(5700, 120));
        rounds.add("hbtp-lean@lean-client", result(6000, 100));
        rounds.add("hbtp+metrics", result(5415, 100));
        rounds.add("raw", result(4750, 100));
        rounds.add("rsocket", result(2280, 100));
        rounds.add("grpc", result(712.5, 100));

        assertThat(verdicts(rounds)).containsValues("PASS").doesNotContainValue("FAIL")
                .doesNotContainValue("NOT RUN");
    }

    @Test
    void aSlowerProductFailsTheThroughputBarsAndAHigherP99ThePercentileBar() {
        RpcRounds rounds = new RpcRounds(1);
        rounds.add("hbtp", result(1000, 200));
        rounds.add("hbtp-lean", result(2000, 100));
        rounds.add("hbtp@lean-client", result(1000, 130));
        rounds.add("hbtp-lean@lean-client", result(2000, 100));
        rounds.add("hbtp+metrics", result(900, 100));
        rounds.add("raw", result(1000, 100));
        rounds.add("rsocket", result(1000, 100));
        rounds.add("grpc", result(1000, 100));

        assertThat(verdicts(rounds)).containsOnly(
                Map.entry("throughput, hbtp / hbtp-lean", "FAIL"), Map.entry("throughput, hbtp / raw", "FAIL"),
                Map.entry("throughput, hbtp / rsocket", "FAIL"), Map.entry("throughput, hbtp / grpc", "FAIL"),
                Map.entry("p99 latency, hbtp / raw", "FAIL"),
                Map.entry("p99 latency, servers only: hbtp@lean-client / raw", "FAIL"),
                Map.entry("throughput, servers only: hbtp / hbtp-lean, both @lean-client", "FAIL"),
                Map.entry("throughput, metrics on: hbtp+metrics / hbtp", "FAIL"));
    }

    @Test
    void theMedianOfThePerRoundRatiosIsJudgedNotTheRatioOfMedians() {
        RpcRounds rounds = new RpcRounds(3);
        // Per-round hbtp/raw 2.0, 1.0, 1.0: median 1.0, a FAIL, although hbtp's best round is twice raw's.
        double[][] hbtpRaw = {{2000, 1000}, {1000, 1000}, {500, 500}};
        for (double[] round : hbtpRaw) {
            rounds.add("hbtp", result(round[0], 100));
            rounds.add("raw", result(round[1], 100));
        }

        RpcThroughputReport.Bar raw = RpcThroughputReport.bars(rounds, "io_uring").stream()
                .filter(bar -> bar.what().equals("throughput, hbtp / raw")).findFirst().orElseThrow();
        assertThat(raw.figure()).isEqualTo(1.0);
        assertThat(raw.verdict()).isEqualTo("FAIL");
    }

    @Test
    void aPeerNotMeasuredLeavesItsBarNotRunSayingWhich() {
        RpcRounds rounds = new RpcRounds(1);
        rounds.add("hbtp", result(1000, 100));
        rounds.add("raw", result(500, 100));

        Map<String, RpcThroughputReport.Bar> bars = RpcThroughputReport.bars(rounds, "io_uring").stream()
                .collect(Collectors.toMap(RpcThroughputReport.Bar::what, Function.identity()));
        assertThat(bars.get("throughput, hbtp / rsocket").verdict()).isEqualTo("NOT RUN");
        assertThat(bars.get("throughput, hbtp / rsocket").note()).isEqualTo("rsocket not measured");
        assertThat(bars.get("throughput, hbtp / raw").verdict()).isEqualTo("PASS");
    }

    @Test
    void roundsAlternateTheOrderOfThePeers() throws Exception {
        List<Peer> peers = List.of(peer("a"), peer("b"), peer("c"));
        StringBuilder order = new StringBuilder();

        new RpcRounds(3).run(peers, peer -> {
            order.append(peer.name());
            return result(1, 1);
        });

        assertThat(order).hasToString("abccbaabc");
    }

    @Test
    void rsocketIsLeftOutWithASentenceWhenItsJarIsNotGiven() {
        RpcThroughputReport.Settings settings = new RpcThroughputReport.Settings(1, 1, 1, "epoll",
                RpcThroughputReport.DEFAULT, 64, "/no/such/rsocket.jar");

        RpcThroughputReport.Lineup lineup = RpcThroughputReport.lineup(settings, "bench.jar");

        assertThat(lineup.peers()).extracting(Peer::name).doesNotContain("rsocket").hasSize(8);
        assertThat(lineup.leftOut()).contains("/no/such/rsocket.jar is not a file");
        assertThat(lineup.peers()).filteredOn(p -> p.name().equals("http1")).extracting(Peer::shape)
                .containsExactly("256 x 1");
    }

    @Test
    void rsocketRunsFromItsOwnJarWithTheContractsMainsWhenTheJarIsThere(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("rsocket-peer.jar"));
        RpcThroughputReport.Settings settings = new RpcThroughputReport.Settings(1, 1, 1, "epoll",
                List.of(RpcThroughputReport.RSOCKET), 64, jar.toString());

        RpcThroughputReport.Lineup lineup = RpcThroughputReport.lineup(settings, "bench.jar");

        assertThat(lineup.leftOut()).isEmpty();
        assertThat(lineup.peers()).singleElement().satisfies(peer -> {
            assertThat(peer.classPath()).isEqualTo(jar.toString());
            assertThat(peer.serverMain()).isEqualTo("dev.dxreactor.benchmarks.rsocket.RSocketEchoServer");
            assertThat(peer.clientMain()).isEqualTo("dev.dxreactor.benchmarks.rsocket.RSocketEchoClient");
            assertThat(peer.shape()).isEqualTo("16 x 16");
        });
    }

    private static Peer peer(String name) {
        return new Peer(name, "cp", "S", "C", 1, 1, "nio", List.of());
    }
}
