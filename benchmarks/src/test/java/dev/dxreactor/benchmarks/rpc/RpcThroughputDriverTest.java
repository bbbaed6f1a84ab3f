package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.benchmarks.report.Chart;
import dev.dxreactor.benchmarks.report.Environment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The driver end to end on the raw and product HBTP pairs: each server and client in its own JVM (this test's
 * class path), one round of one second warm-up and one measured, the RESULT lines read back into the report.
 */
class RpcThroughputDriverTest {

    /** Small heaps: the test JVM and two children share the machine. */
    private static final List<String> SMALL_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC",
            "--enable-native-access=ALL-UNNAMED", "-Dio.netty.leakDetection.level=disabled");

    @Test
    void oneRoundOfRawAndHbtpInTheirOwnJvmsGivesFiguresAndARenderedReport(@TempDir Path dir) throws Exception {
        RpcThroughputReport.Settings settings = new RpcThroughputReport.Settings(1, 1, 1, "nio",
                List.of(RpcThroughputReport.RAW, RpcThroughputReport.HBTP), 64, null);
        RpcThroughputReport.Lineup lineup = RpcThroughputReport.lineup(settings, System.getProperty("java.class.path"));
        PairRunner runner = new PairRunner(SMALL_JVM, List.of(), settings.warmupSeconds(), settings.seconds(),
                settings.payload());

        RpcRounds rounds = new RpcRounds(1).run(lineup.peers(), runner::measure);

        assertThat(rounds.totalErrors()).isZero();
        assertThat(rounds.throughput.variants()).containsExactly(RpcThroughputReport.RAW, RpcThroughputReport.HBTP);
        assertThat(rounds.throughput.median(RpcThroughputReport.HBTP)).isPositive();
        assertThat(rounds.throughput.median(RpcThroughputReport.RAW)).isPositive();

        List<RpcThroughputReport.Bar> bars = RpcThroughputReport.bars(rounds, "nio");
        Environment env = new Environment(new Properties(), 0, 0, Duration.ofSeconds(9), ZonedDateTime.now());
        String md = RpcThroughputReport.render(env, settings, lineup, rounds, bars, SMALL_JVM);
        assertThat(md).contains("| raw |", "| hbtp |", "throughput, hbtp / raw", "NOT RUN",
                "this run is on nio", "## Per-round figures");
        for (Chart chart : RpcThroughputReport.charts(rounds)) {
            Path png = dir.resolve(chart.name() + ".png");
            chart.writePng(png);
            assertThat(Files.size(png)).isPositive();
        }
    }

    @Test
    void aServerThatNeverListensFailsTheRunWithItsStderr() {
        Peer broken = new Peer("broken", System.getProperty("java.class.path"), "no.such.Main",
                RawEchoClient.class.getName(), 1, 1, "nio", List.of());
        PairRunner runner = new PairRunner(SMALL_JVM, List.of(), 1, 1, 64);

        assertThatThrownBy(() -> runner.measure(broken))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broken: server exited")
                .hasMessageContaining("no.such.Main");
    }
}
