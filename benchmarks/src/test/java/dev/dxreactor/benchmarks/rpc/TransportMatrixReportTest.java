package dev.dxreactor.benchmarks.rpc;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** transport-matrix's line-up: every transport found, the emulated ones labelled and flagged in its JVMs only. */
class TransportMatrixReportTest {

    @Test
    void everyTransportFoundIsRunIncludingAfdpollOnTheEmulatedKernelWithoutLeavingTheSwitchOn() {
        List<String> transports = TransportMatrixReport.transports(null);

        assertThat(transports).contains("nio", "afdpoll", "iocp");
        assertThat(System.getProperty("dx.windows.emulate")).isNull();
    }

    @Test
    void onlyTheWindowsTransportsJvmsGetTheEmulationFlagAndTheirRowsSayEmulated() {
        List<Peer> peers = TransportMatrixReport.peers(List.of("epoll", "afdpoll", "iocp", "nio"), "bench.jar");

        assertThat(peers).extracting(Peer::name)
                .containsExactly("epoll", "afdpoll (EMULATED)", "iocp (EMULATED)", "nio");
        assertThat(peers).extracting(Peer::extraFlags).containsExactly(List.of(),
                List.of("-Ddx.windows.emulate=true"), List.of("-Ddx.windows.emulate=true"), List.of());
        assertThat(peers).extracting(Peer::serverMain).containsOnly(HbtpEchoServer.class.getName());
        assertThat(peers).extracting(Peer::clientMain).containsOnly(HbtpEchoClient.class.getName());
    }

    @Test
    void transportsAskedForAreRunInTheOrderGiven() {
        assertThat(TransportMatrixReport.transports(" nio, epoll ,")).containsExactly("nio", "epoll");
    }
}
