package dev.dxreactor.benchmarks.rsocket;

import io.netty.buffer.ByteBuf;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketServer;
import io.rsocket.frame.decoder.PayloadDecoder;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.transport.netty.server.TcpServerTransport;
import io.rsocket.util.ByteBufPayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The server and the client in this JVM, with the smallest load: one connection, two requests in flight. */
@ExtendWith(LeakCheck.class)
class RSocketEchoRoundTripTest {

    static final Pattern RESULT_LINE = Pattern.compile("RESULT requests=(\\d+) errors=(\\d+) seconds=(\\d+\\.\\d{3})"
            + " p50us=(\\d+) p90us=(\\d+) p99us=(\\d+) p999us=(\\d+) maxus=(\\d+)");

    private static ClientOptions tinyLoad(int port, int payload, double seconds) {
        return new ClientOptions("127.0.0.1", port, 1, 2, payload, 0, seconds, "nio", 1);
    }

    @Test
    void everyRequestComesBackAndTheResultLineParses() {
        ClientResult result;
        try (RSocketEchoServer.Running server = RSocketEchoServer.start(new ServerOptions(0, "nio", 1))) {
            result = RSocketEchoClient.run(tinyLoad(server.port(), 64, 1), System.err);
        }

        Matcher line = RESULT_LINE.matcher(result.line());
        assertThat(line.matches()).as(result.line()).isTrue();
        assertThat(Long.parseLong(line.group(1))).isPositive().isEqualTo(result.requests());
        assertThat(Long.parseLong(line.group(2))).isZero();
        assertThat(line.group(3)).isEqualTo("1.000");
        long[] latencies = {Long.parseLong(line.group(4)), Long.parseLong(line.group(5)), Long.parseLong(line.group(6)),
                Long.parseLong(line.group(7)), Long.parseLong(line.group(8))};
        assertThat(latencies).isSorted();
        assertThat(result.latencyUs().getTotalCount()).isEqualTo(result.requests());
    }

    @Test
    void anAnswerThatDiffersFromItsRequestIsAnError() {
        // Answers with the request's bytes except the last, flipped: a server that corrupts one byte.
        SocketAcceptor corrupting = SocketAcceptor.forRequestResponse(request -> {
            ByteBuf data = request.data().copy();
            request.release();
            int last = data.writerIndex() - 1;
            data.setByte(last, ~data.getByte(last));
            return Mono.just(ByteBufPayload.create(data));
        });
        CloseableChannel server = RSocketServer.create(corrupting)
                .payloadDecoder(PayloadDecoder.ZERO_COPY)
                .bind(TcpServerTransport.create("127.0.0.1", 0))
                .block(Duration.ofSeconds(10));
        ClientResult result;
        try {
            result = RSocketEchoClient.run(tinyLoad(server.address().getPort(), 16, 0.3), System.err);
        } finally {
            server.dispose();
            server.onClose().block(Duration.ofSeconds(10));
        }

        assertThat(result.errors()).isPositive();
        assertThat(result.requests()).isZero();
        assertThat(result.line()).contains("errors=" + result.errors());
    }

    @Test
    void aServerThatIsNotThereIsAnErrorAndNoRequests() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }

        ClientResult result = RSocketEchoClient.run(tinyLoad(closedPort, 64, 1), System.err);

        assertThat(result.errors()).isEqualTo(1);
        assertThat(result.requests()).isZero();
        assertThat(RESULT_LINE.matcher(result.line()).matches()).as(result.line()).isTrue();
    }
}
