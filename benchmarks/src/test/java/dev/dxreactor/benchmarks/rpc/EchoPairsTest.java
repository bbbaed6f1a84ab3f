package dev.dxreactor.benchmarks.rpc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each protocol's server and load client, in this JVM for about a second with a small load: every answer comes
 * back byte for byte, and some are counted in the window.
 */
class EchoPairsTest {

    private EchoServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> pairs() {
        EchoServer.Starter raw = RawEchoServer::start;
        EchoServer.Starter hbtp = HbtpEchoServer::start;
        EchoServer.Starter lean = LeanHbtpServer::start;
        EchoServer.Starter hbtpMetrics = HbtpEchoServer::startWithMetrics;
        EchoServer.Starter http = HttpEchoServer::start;
        EchoServer.Starter grpc = GrpcEchoServer::start;
        LoadRun.Client rawClient = RawEchoClient::run;
        LoadRun.Client hbtpClient = HbtpEchoClient::run;
        LoadRun.Client httpClient = HttpEchoClient::run;
        LoadRun.Client grpcClient = GrpcEchoClient::run;
        LoadRun.Client leanClient = LeanHbtpClient::run;
        return Stream.of(Arguments.of("raw", raw, rawClient, 3), Arguments.of("hbtp", hbtp, hbtpClient, 3),
                Arguments.of("hbtp-lean", lean, hbtpClient, 3), Arguments.of("hbtp@lean-client", hbtp, leanClient, 3),
                Arguments.of("hbtp+metrics", hbtpMetrics, hbtpClient, 3),
                Arguments.of("hbtp-lean@lean-client", lean, leanClient, 3), Arguments.of("http1", http, httpClient, 1),
                Arguments.of("grpc", grpc, grpcClient, 3));
    }

    static Stream<Arguments> hbtpPairs() {
        return pairs().filter(pair -> pair.get()[0].toString().startsWith("hbtp"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void everyAnswerMatchesItsRequest(String protocol, EchoServer.Starter starter, LoadRun.Client client,
                                      int inFlight) throws Exception {
        assertEchoes(protocol, starter, client, inFlight, "nio");
    }

    /** The reports run on the best transport (io_uring where the kernel allows it): the HBTP servers there too. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hbtpPairs")
    void theHbtpServersEchoOnTheBestTransport(String protocol, EchoServer.Starter starter, LoadRun.Client client,
                                              int inFlight) throws Exception {
        assertEchoes(protocol, starter, client, inFlight, ServerSettings.bestTransport());
    }

    private void assertEchoes(String protocol, EchoServer.Starter starter, LoadRun.Client client, int inFlight,
                              String transport) throws Exception {
        server = starter.start(new ServerSettings(0, transport, 1));
        RpcResult result = client.run(new ClientSettings("127.0.0.1", server.port(), 3, inFlight, 64, 0.3, 0.7,
                transport));

        assertThat(result.errors()).as(protocol + " errors").isZero();
        assertThat(result.requests()).as(protocol + " answers in the window").isPositive();
        assertThat(result.p50us()).isLessThanOrEqualTo(result.p99us());
    }
}
