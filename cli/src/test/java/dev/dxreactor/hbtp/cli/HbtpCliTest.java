package dev.dxreactor.hbtp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dxreactor.hbtp.HbtpEncryptionMode;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.WorkerStrategy;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hbtp} end to end, in process, against real HBTP servers on loopback. */
class HbtpCliTest {

    private static final byte[] PSK = "a pre-shared key of 32 bytes....".getBytes(StandardCharsets.US_ASCII);

    private static DxReactor reactor;
    /** Encryption OPTIONAL (the server's default). */
    private static TestServer server;
    /** Encryption OFF. */
    private static TestServer plain;
    /** TLS with a self-signed certificate, and HBTP encryption with a pre-shared key. */
    private static TestServer secure;
    private static X509Bundle certificate;

    @TempDir
    static Path files;

    @BeforeAll
    static void startServers() throws Exception {
        reactor = DxReactor.builder().workers(WorkerStrategy.fixed(1)).build();
        server = TestServer.start(reactor, HbtpServerConfig.builder());
        plain = TestServer.start(reactor, HbtpServerConfig.builder().encryption(HbtpEncryptionMode.OFF));
        certificate = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
                .addSanIpAddress("127.0.0.1").setIsCertificateAuthority(true).ecp256().buildSelfSigned();
        secure = TestServer.start(reactor, HbtpServerConfig.builder().preSharedKey(PSK)
                .sslContext(SslContextBuilder.forServer(certificate.toKeyManagerFactory()).build()));
    }

    @AfterAll
    static void stopServers() throws Exception {
        server.close();
        plain.close();
        secure.close();
        reactor.close();
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("ping", "call", "subscribe", "event", "bench", "Exit codes");
    }

    @Test
    void pingReportsTheServersHelloAndEachPong() {
        CliRun run = CliRun.of(Args.of("ping", server.address(), "--count", "2"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout())
                .containsPattern("connected to 127\\.0\\.0\\.1:\\d+ over \\w+, handshake [\\d.]+ ms")
                .contains("server: HBTP/1, agreed capabilities ZSTD|METADATA|STATE, max frame 1048576 B")
                .contains("security: TLS off, HBTP encryption off")
                .containsPattern("PONG 1: [\\d.]+ ms")
                .containsPattern("PONG 2: [\\d.]+ ms")
                .contains("2 PONGs, min/avg/max");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void pingWithEncryptionAsJson() {
        CliRun run = CliRun.of(Args.of("ping", server.address(), "--encrypt", "--count", "1", "--json"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode json = run.json();
        assertThat(json.get("encryption").asBoolean()).isTrue();
        assertThat(json.get("capabilities").toString()).contains("ENCRYPTION");
        assertThat(json.get("version").asInt()).isEqualTo(1);
        assertThat(json.get("pingMillis")).hasSize(1);
        assertThat(json.get("tls").isNull()).isTrue();
    }

    @Test
    void callEchoesAnArgument() {
        CliRun run = CliRun.of(Args.of("call", server.address(), "1", "hello, hbtp"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("hello, hbtp");
    }

    @Test
    void callSendsAFileAsItIs() throws Exception {
        byte[] bytes = new byte[3000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 7);
        }
        Path file = Files.write(files.resolve("request.bin"), bytes);
        CliRun run = CliRun.of(Args.of("call", server.address(), "1", "--file", file.toString()));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdoutBytes()).isEqualTo(bytes);
    }

    @Test
    void callReadsStdinForADash() {
        byte[] bytes = {0, 1, 2, (byte) 0xFF, '\n'};
        CliRun run = CliRun.withStdin(bytes, Args.of("call", server.address(), "1", "-"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdoutBytes()).isEqualTo(bytes);
    }

    @Test
    void metadataReachesTheServer() {
        CliRun run = CliRun.of(Args.of("call", server.address(), "4", "-m", "trace-id=abc-123", "--metadata",
                "tenant=acme"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("trace-id=abc-123\ntenant=acme\n");
    }

    @Test
    void hexOutput() {
        CliRun run = CliRun.of(Args.of("call", server.address(), "1", "hi!", "--output", "hex"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("686921\n");
    }

    @Test
    void jsonOutputOfATeleportMessage() {
        CliRun run = CliRun.of(Args.of("call", server.address(), "5", "--type", Greeting.class.getName()));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).endsWith("\n").hasLineCount(1);
        JsonNode json = run.json();
        assertThat(json.get("id").asLong()).isEqualTo(42);
        assertThat(json.get("name").asText()).isEqualTo("hello, json");
        assertThat(json.get("mood").asText()).isEqualTo("HAPPY");
        assertThat(json.get("scores").toString()).isEqualTo("[3,1,4]");
        assertThat(Base64.getDecoder().decode(json.get("token").asText())).containsExactly(1, 2, 3);
        assertThat(json.get("first").get("label").asText()).isEqualTo("first");
        assertThat(json.get("tags").get(1).get("label").asText()).isEqualTo("b\u00e9");
        assertThat(json.get("tags").get(1).get("weight").asInt()).isEqualTo(20);
    }

    @Test
    void jsonOutputAcceptsTheViewAndNestedNamesWrittenWithDots() {
        CliRun byView = CliRun.of(Args.of("call", server.address(), "5", "--type", GreetingView.class.getName(),
                "--output", "json"));
        assertThat(byView.exitCode()).as(byView.toString()).isZero();
        assertThat(byView.json().get("id").asLong()).isEqualTo(42);

        assertThat(TeleportJson.viewName(Greeting.Tag.class)).isEqualTo("dev.dxreactor.hbtp.cli.Greeting_TagView");
        CliRun nested = CliRun.of(Args.of("call", server.address(), "1", "x", "--type",
                "dev.dxreactor.hbtp.cli.Greeting.Tag"));
        assertThat(nested.exitCode()).as("found the nested record, but x is no Tag message").isEqualTo(1);
        assertThat(nested.stderr()).contains("not a valid dev.dxreactor.hbtp.cli.Greeting$Tag message");
    }

    @Test
    void bytesThatAreNotTheTypeFailWithOne() {
        CliRun run = CliRun.of(Args.of("call", server.address(), "1", "not a greeting", "--type",
                Greeting.class.getName()));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).startsWith("hbtp call: not a valid dev.dxreactor.hbtp.cli.Greeting message")
                .hasLineCount(1);
    }

    @Test
    void anRpcErrorExitsWithOne() {
        CliRun run = CliRun.of(Args.of("call", server.address(), "2"));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).isEqualTo("hbtp call: route 2 answered PERMISSION_DENIED (4): not for you\n");
    }

    @Test
    void anUnknownRouteExitsWithOne() {
        CliRun run = CliRun.of(Args.of("call", server.address(), "0x99"));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).contains("route 153 answered UNKNOWN_ROUTE (1)");
    }

    @Test
    void aTimeoutExitsWithOne() {
        CliRun run = CliRun.of(Args.of("call", server.address(), "3", "--timeout", "200ms"));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).isEqualTo("hbtp call: no answer from route 3 within 200 ms\n");
    }

    @Test
    void usageErrorsExitWithTwoAndOneLine() {
        List<CliRun> runs = new ArrayList<>();
        runs.add(CliRun.of(Args.of("call", server.address(), "1", "--bogus")));
        runs.add(CliRun.of(Args.of("call", server.address(), "70000")));
        runs.add(CliRun.of(Args.of("call", server.address(), "1", "--output", "json")));
        runs.add(CliRun.of(Args.of("call", server.address(), "1", "--timeout", "soon")));
        runs.add(CliRun.of(Args.of("call", server.address(), "1", "-m", "no-equals-sign")));
        runs.add(CliRun.of(Args.of("call", server.address(), "1", "--type", "no.such.Record")));
        runs.add(CliRun.of(Args.of("ping", server.address(), "--transport", "carrier-pigeon")));
        runs.add(CliRun.of(Args.of("call", server.address(), "1", "x", "--file", "y")));
        runs.add(CliRun.of(Args.of("bench", server.address(), "1", "--count", "5", "--duration", "1s")));
        runs.add(CliRun.of("call"));
        runs.add(CliRun.of());
        for (CliRun run : runs) {
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.stderr()).as(run.toString()).startsWith("hbtp").hasLineCount(1);
            assertThat(run.stdout()).isEmpty();
        }
        assertThat(runs.get(0).stderr()).contains("Unknown option: '--bogus'");
        assertThat(runs.get(1).stderr()).contains("outside 0..65535");
        assertThat(runs.get(2).stderr()).contains("--output json needs --type");
        assertThat(runs.get(6).stderr()).contains("carrier-pigeon");
    }

    @Test
    void aRefusedConnectionExitsWithThree() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CliRun run = CliRun.of("call", "--host", "127.0.0.1", "--port", Integer.toString(port), "1", "x");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.stderr()).startsWith("hbtp call: cannot connect to ").hasLineCount(1);
    }

    @Test
    void aFailedHandshakeExitsWithThree() {
        CliRun run = CliRun.of(Args.of("ping", plain.address(), "--encrypt"));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.stderr()).startsWith("hbtp ping: handshake with ").contains("encryption").hasLineCount(1);
    }

    @Test
    void tlsWithACaFileAndAPreSharedKey() throws Exception {
        Path ca = Files.writeString(files.resolve("ca.pem"), certificate.getCertificatePEM());
        Path psk = Files.write(files.resolve("psk"), PSK);
        String[] security = {"--ca-file", ca.toString(), "--psk-file", psk.toString()};

        CliRun ping = CliRun.of(Args.of("ping", secure.address(), concat(security, "--count", "1")));
        assertThat(ping.exitCode()).as(ping.toString()).isZero();
        assertThat(ping.stdout()).containsPattern("security: TLS TLSv1\\.[23] \\S+, HBTP encryption on with a"
                + " pre-shared key");

        CliRun call = CliRun.of(Args.of("call", secure.address(), concat(security, "1", "sealed twice")));
        assertThat(call.exitCode()).as(call.toString()).isZero();
        assertThat(call.stdout()).isEqualTo("sealed twice");

        CliRun untrusted = CliRun.of(Args.of("ping", secure.address(), "--tls", "--psk-file", psk.toString()));
        assertThat(untrusted.exitCode()).as(untrusted.toString()).isEqualTo(3);

        CliRun insecure = CliRun.of(Args.of("ping", secure.address(), "--insecure", "--psk-file", psk.toString(),
                "--count", "0"));
        assertThat(insecure.exitCode()).as(insecure.toString()).isZero();

        Path otherKey = Files.write(files.resolve("other-psk"), "another key, also 32 bytes long.".getBytes(
                StandardCharsets.US_ASCII));
        CliRun wrongKey = CliRun.of(Args.of("ping", secure.address(), "--ca-file", ca.toString(), "--psk-file",
                otherKey.toString()));
        assertThat(wrongKey.exitCode()).as(wrongKey.toString()).isEqualTo(3);
    }

    @Test
    void subscribePrintsTheStateThenTheDeltas() {
        CliRun run = CliRun.of(Args.of("subscribe", server.address(), "1", "--count", "3"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("state-1\ndelta-2\ndelta-3\n");
    }

    @Test
    void subscribeWithVersionsInHex() {
        CliRun run = CliRun.of(Args.of("subscribe", server.address(), "1", "-n", "3", "--versions", "-o", "hex"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        HexFormat hex = HexFormat.of();
        assertThat(run.stdout()).isEqualTo("sync 1 " + hex.formatHex("state-1".getBytes(StandardCharsets.UTF_8))
                + "\ndelta 1 2 " + hex.formatHex("delta-2".getBytes(StandardCharsets.UTF_8))
                + "\ndelta 2 3 " + hex.formatHex("delta-3".getBytes(StandardCharsets.UTF_8)) + "\n");
    }

    @Test
    void subscribeForADurationEndsWithZero() {
        CliRun run = CliRun.of(Args.of("subscribe", server.address(), "1", "--duration", "300ms"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat("state-1\ndelta-2\ndelta-3\n").as("what arrived in time, in order").startsWith(run.stdout());
    }

    @Test
    void anEventReachesTheServer() throws Exception {
        CliRun run = CliRun.of(Args.of("event", server.address(), "1", "hello, server"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEmpty();
        assertThat(server.events.poll(10, TimeUnit.SECONDS)).isEqualTo("hello, server");
    }

    @Test
    void anEventWithListenPrintsTheServerEvents() {
        CliRun run = CliRun.of(Args.of("event", server.address(), "2", "ping", "--listen", "30s", "--count", "1"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("7 re:ping\n");

        CliRun onlyOthers = CliRun.of(Args.of("event", server.address(), "2", "ping", "--listen", "300ms",
                "--server-event", "8", "--output", "hex"));
        assertThat(onlyOthers.exitCode()).as(onlyOthers.toString()).isZero();
        assertThat(onlyOthers.stdout()).isEmpty();
    }

    private static String[] concat(String[] first, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}
