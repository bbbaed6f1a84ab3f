package dev.dxreactor.benchmarks.windows;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The windows-emulated report's transports: what the benchmark's parameter names, and which are emulated. */
class EchoTransportTest {

    @Test
    void theBenchmarkParameterNamesEveryTransportOnceInTheReportsOrder() throws Exception {
        String[] values = WindowsEchoBenchmark.Load.class.getField("transport").getAnnotation(Param.class).value();
        assertThat(values).containsExactly("iocp", "afdpoll", "nio");
        List<EchoTransport> parsed = Arrays.stream(values).map(EchoTransport::of).toList();
        assertThat(parsed).containsExactly(EchoTransport.values());
    }

    @Test
    void onlyTheWindowsTransportsRunOnTheEmulatedKernel() {
        assertThat(Arrays.stream(EchoTransport.values()).filter(EchoTransport::emulated))
                .containsExactly(EchoTransport.IOCP, EchoTransport.AFDPOLL);
    }

    @Test
    void anUnknownTransportIsRefusedWithTheAcceptedNames() {
        assertThatThrownBy(() -> EchoTransport.of("epoll"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epoll")
                .hasMessageContaining("[iocp, afdpoll, nio]");
    }
}
