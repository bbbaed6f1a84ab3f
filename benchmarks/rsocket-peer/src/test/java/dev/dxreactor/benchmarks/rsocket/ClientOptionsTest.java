package dev.dxreactor.benchmarks.rsocket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClientOptionsTest {

    @Test
    void readsTheContractsClientArguments() {
        ClientOptions options = ClientOptions.parse(new String[] {"--host", "127.0.0.1", "--port", "40123",
                "--connections", "16", "--in-flight", "16", "--payload", "64", "--warmup-seconds", "3",
                "--seconds", "10", "--transport", "epoll"});

        assertThat(options).isEqualTo(new ClientOptions("127.0.0.1", 40123, 16, 16, 64, 3, 10, "epoll", 1));
    }

    @Test
    void defaultsToTheBenchmarksShapeWhenOnlyThePortIsGiven() {
        ClientOptions options = ClientOptions.parse(new String[] {"--port", "40123"});

        assertThat(options).isEqualTo(new ClientOptions("127.0.0.1", 40123, 16, 16, 64, 5, 10, "nio", 1));
    }

    @Test
    void acceptsFractionalSecondsAndNoWarmUp() {
        ClientOptions options = ClientOptions.parse(new String[] {"--port", "1", "--warmup-seconds", "0",
                "--seconds", "0.25"});

        assertThat(options.warmupSeconds()).isZero();
        assertThat(options.seconds()).isEqualTo(0.25);
    }

    @Test
    void requiresThePort() {
        assertThatIllegalArgumentException().isThrownBy(() -> ClientOptions.parse(new String[] {"--seconds", "1"}))
                .withMessageContaining("--port");
    }

    @Test
    void rejectsAnEmptyWindowAndEmptyRequests() {
        assertThatIllegalArgumentException().isThrownBy(
                () -> ClientOptions.parse(new String[] {"--port", "1", "--seconds", "0"}));
        assertThatIllegalArgumentException().isThrownBy(
                () -> ClientOptions.parse(new String[] {"--port", "1", "--payload", "0"}));
        assertThatIllegalArgumentException().isThrownBy(
                () -> ClientOptions.parse(new String[] {"--port", "1", "--in-flight", "0"}));
    }
}
