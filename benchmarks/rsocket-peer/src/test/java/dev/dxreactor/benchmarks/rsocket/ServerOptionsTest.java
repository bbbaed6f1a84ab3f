package dev.dxreactor.benchmarks.rsocket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ServerOptionsTest {

    @Test
    void readsTheContractsServerArguments() {
        ServerOptions options = ServerOptions.parse(new String[] {"--port", "0", "--transport", "io_uring",
                "--workers", "2"});

        assertThat(options).isEqualTo(new ServerOptions(0, "io_uring", 2));
    }

    @Test
    void defaultsToAnyFreePortAndOneWorker() {
        assertThat(ServerOptions.parse(new String[0])).isEqualTo(new ServerOptions(0, "nio", 1));
    }

    @Test
    void rejectsZeroWorkersAndClientOptions() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServerOptions.parse(new String[] {"--workers", "0"}));
        assertThatIllegalArgumentException().isThrownBy(() -> ServerOptions.parse(new String[] {"--in-flight", "4"}));
    }
}
