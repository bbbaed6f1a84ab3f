package dev.dxreactor.benchmarks.rsocket;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two mains as the rpc-throughput driver runs them: each in its own JVM, the server announcing its port on
 * stdout and stopping when its stdin closes, the client printing one RESULT line and exiting 0.
 */
class ProcessContractTest {

    private static Process launch(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static List<String> lines(Process process) throws IOException {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            return out.lines().toList();
        }
    }

    @Test
    void serverAnnouncesItsPortServesTheClientAndExitsWhenStdinCloses() throws Exception {
        Process server = launch(RSocketEchoServer.class, "--port", "0", "--transport", "io_uring", "--workers", "1");
        try {
            BufferedReader serverOut = new BufferedReader(
                    new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String listening = serverOut.readLine();
            assertThat(listening).matches("LISTENING \\d+");
            String port = listening.substring("LISTENING ".length());

            Process client = launch(RSocketEchoClient.class, "--host", "127.0.0.1", "--port", port,
                    "--connections", "2", "--in-flight", "2", "--payload", "64", "--warmup-seconds", "0",
                    "--seconds", "1", "--transport", "epoll");
            List<String> clientOut = lines(client);
            assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();

            // The window's start and end (the driver reads both processes' CPU time then), then the result.
            assertThat(clientOut).hasSize(3);
            assertThat(clientOut.subList(0, 2)).containsExactly("WINDOW start", "WINDOW end");
            assertThat(clientOut.getLast()).matches(RSocketEchoRoundTripTest.RESULT_LINE).contains(" errors=0 ");
            assertThat(client.exitValue()).isZero();

            server.getOutputStream().close();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isZero();
            assertThat(serverOut.readLine()).as("nothing but LISTENING on the server's stdout").isNull();
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void clientWithoutAPortExitsWithAUsageErrorAndNoResult() throws Exception {
        Process client = launch(RSocketEchoClient.class, "--seconds", "1");
        client.getOutputStream().close();

        List<String> out = lines(client);

        assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEmpty();
        assertThat(client.exitValue()).isEqualTo(2);
    }
}
