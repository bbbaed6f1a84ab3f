package dev.dxreactor.hbtp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.WorkerStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hbtp bench} against a real echo server, and against one that answers wrong bytes. */
class BenchCommandTest {

    private static DxReactor reactor;
    private static TestServer server;
    private static TestServer wrong;

    @BeforeAll
    static void startServers() throws Exception {
        reactor = DxReactor.builder().workers(WorkerStrategy.fixed(1)).build();
        server = TestServer.start(reactor, HbtpServerConfig.builder());
        wrong = TestServer.startWrongEcho(reactor, HbtpServerConfig.builder());
    }

    @AfterAll
    static void stopServers() throws Exception {
        server.close();
        wrong.close();
        reactor.close();
    }

    @Test
    void aTimedRunReportsPercentilesProgressAndNoErrors() {
        CliRun run = CliRun.of(Args.of("bench", server.address(), "1", "--connections", "2", "--in-flight", "4",
                "--duration", "1500ms", "--warmup", "200ms", "--payload-size", "32"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout())
                .contains("route 1 on 127.0.0.1:", "2 connection(s) x 4 in flight, 32-byte requests, answers"
                        + " checked: echo")
                .containsPattern("calls +[\\d,]+ \\([\\d,]+/s\\)")
                .contains("errors   0")
                .containsPattern("latency ms +p50 +p90 +p99 +p99\\.9 +max +mean");
        assertThat(run.stderr()).as("one progress line per second of the run")
                .containsPattern("\\[1 s\\] [\\d,]+ calls, [\\d,]+/s so far \\([\\d,]+/s in the last second\\), 0"
                        + " errors");
    }

    @Test
    void jsonOutputParsesAndCountsEveryCall() {
        CliRun run = CliRun.of(Args.of("bench", server.address(), "1", "--count", "300", "--warmup", "0s",
                "-c", "1", "-i", "3", "--json"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode json = run.json();
        assertThat(json.get("calls").asLong()).isEqualTo(300);
        assertThat(json.get("passed").asLong()).isEqualTo(300);
        assertThat(json.get("errors").asLong()).isZero();
        assertThat(json.get("expect").asText()).isEqualTo("echo");
        assertThat(json.get("payloadBytes").asInt()).isEqualTo(16);
        JsonNode latency = json.get("latencyMillis");
        for (String name : new String[] {"p50", "p90", "p99", "p99.9", "max", "mean"}) {
            assertThat(latency.get(name).asDouble()).as(name).isPositive();
        }
        assertThat(latency.get("p50").asDouble()).isLessThanOrEqualTo(latency.get("p99.9").asDouble());
        assertThat(latency.get("p99.9").asDouble()).isLessThanOrEqualTo(latency.get("max").asDouble());
    }

    @Test
    void aGivenPayloadWithMetadataIsEchoed() {
        CliRun run = CliRun.of(Args.of("bench", server.address(), "1", "the same body every time", "--count", "50",
                "--warmup", "0s", "-i", "2", "-m", "trace-id=bench", "--json"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.json().get("payloadBytes").asInt()).isEqualTo(24);
        assertThat(run.json().get("errors").asLong()).isZero();
    }

    @Test
    void wrongAnswersAreCountedAndExitWithOne() {
        CliRun run = CliRun.of(Args.of("bench", wrong.address(), "1", "--count", "40", "--warmup", "0s",
                "-i", "2", "--json", "-q"));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        JsonNode json = run.json();
        assertThat(json.get("calls").asLong()).isEqualTo(40);
        assertThat(json.get("errors").asLong()).isEqualTo(40);
        assertThat(json.get("passed").asLong()).isZero();
        assertThat(run.stderr()).startsWith("hbtp bench: 40 call(s) failed; first: ")
                .contains("carries the number")
                .hasLineCount(1);
    }

    @Test
    void anyAnswerPassesWithExpectAny() {
        CliRun run = CliRun.of(Args.of("bench", wrong.address(), "1", "--count", "40", "--warmup", "0s",
                "--expect", "any", "--json"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.json().get("errors").asLong()).isZero();
    }

    @Test
    void rpcErrorsAndTimeoutsAreErrors() {
        CliRun denied = CliRun.of(Args.of("bench", server.address(), "2", "--count", "10", "--warmup", "0s",
                "--expect", "any", "--json"));
        assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(1);
        assertThat(denied.json().get("errors").asLong()).isEqualTo(10);
        assertThat(denied.stderr()).contains("PERMISSION_DENIED");

        CliRun slow = CliRun.of(Args.of("bench", server.address(), "3", "--count", "2", "--warmup", "0s",
                "-i", "2", "--timeout", "100ms", "--expect", "any"));
        assertThat(slow.exitCode()).as(slow.toString()).isEqualTo(1);
        assertThat(slow.stdout()).contains("errors   2");
        assertThat(slow.stderr()).contains("no answer from route 3 within 100 ms");
    }
}
