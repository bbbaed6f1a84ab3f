package dev.dxreactor.examples.hbtp;

import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.WorkerStrategy;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class HbtpExampleTest {

    @Test
    void theExampleClientSeesEveryRouteTheTickerAndTheNotice() throws Exception {
        try (DxReactor reactor = DxReactor.builder().workers(WorkerStrategy.fixed(2)).build()) {
            HbtpExampleServer server = HbtpExampleServer.start(reactor, new InetSocketAddress("127.0.0.1", 0),
                    Duration.ofMillis(50));
            try {
                ByteArrayOutputStream text = new ByteArrayOutputStream();
                HbtpExampleClient.run(server.address(), new PrintStream(text, true, StandardCharsets.UTF_8),
                        Duration.ofMillis(400));
                String transcript = text.toString(StandardCharsets.UTF_8);

                assertThat(transcript)
                        .containsPattern("connected to .*capabilities=ZSTD\\|ENCRYPTION\\|METADATA\\|STATE")
                        .contains("echo  -> hello, HBTP")
                        .containsPattern("time  -> \\d{4}-\\d{2}-\\d{2}T")
                        .contains("sum   -> 42")
                        .contains("sum   -> error HbtpRpcException(BAD_REQUEST")
                        .contains("event <- welcome, example client")
                        .containsPattern("ticker v\\d+ state tick \\d+")
                        .containsPattern("ticker v\\d+ -> v\\d+ \\+1 -> tick \\d+")
                        .endsWith("closed" + System.lineSeparator());
            } finally {
                server.stop();
            }
        }
    }
}
