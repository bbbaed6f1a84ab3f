package dev.dxreactor.benchmarks.rpc;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A server main as the driver sees it: one LISTENING line, a port that accepts, exit 0 when stdin ends. */
class ServerMainContractTest {

    @Test
    void theServerPrintsListeningAcceptsAndExitsZeroWhenItsInputEnds() throws Exception {
        Process server = new ProcessBuilder(List.of(PairRunner.java(), "-Xmx128m",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                RawEchoServer.class.getName(), "--port", "0", "--transport", "nio"))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).matches("LISTENING \\d+");
            int port = Integer.parseInt(line.substring("LISTENING ".length()));
            try (Socket socket = new Socket("127.0.0.1", port)) {
                assertThat(socket.isConnected()).isTrue();
            }

            server.getOutputStream().close();

            assertThat(server.waitFor(PairRunner.STOP_GRACE_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isZero();
        } finally {
            server.destroyForcibly();
        }
    }
}
