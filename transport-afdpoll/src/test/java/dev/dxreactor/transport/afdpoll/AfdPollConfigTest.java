package dev.dxreactor.transport.afdpoll;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AfdPollConfigTest {

    @Test
    void defaultsAreHelperHandlesOf32SocketsAndNoReadMemoryLimit() {
        AfdPollConfig config = AfdPollConfig.defaults();
        assertThat(config.carrier()).isEqualTo(AfdPollCarrier.HELPER_HANDLES);
        assertThat(config.socketsPerHelper()).isEqualTo(32);
        assertThat(config.readMemoryLimit()).isZero();
    }

    @Test
    void everyInvalidSettingIsReportedAtOnce() {
        assertThatThrownBy(() -> AfdPollConfig.builder().socketsPerHelper(0).maxEventsPerDequeue(-1)
                .readChunkSize(100).readMemoryLimit(50).rearmBatch(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("5 invalid AfdPollConfig setting(s)")
                .hasMessageContaining("socketsPerHelper = 0 (allowed: 1 to 1024)")
                .hasMessageContaining("maxEventsPerDequeue = -1")
                .hasMessageContaining("readChunkSize = 100")
                .hasMessageContaining("readMemoryLimit = 50")
                .hasMessageContaining("rearmBatch = 0");
    }
}
