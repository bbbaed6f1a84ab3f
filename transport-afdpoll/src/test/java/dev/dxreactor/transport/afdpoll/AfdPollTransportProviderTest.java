package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.TransportProvider;
import dev.dxreactor.transport.Transports;
import dev.dxreactor.transport.afdpoll.internal.AfdPollTransportProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user gets by adding the artifact: dx-reactor picks afdpoll over NIO where it can run. */
class AfdPollTransportProviderTest {

    @Test
    void transportsPickAfdPollOverNioWhenTheKernelSurfaceIsThere() {
        TransportProvider best = Transports.best();
        assertThat(best.name()).isEqualTo("afdpoll");
        assertThat(best.socketChannelClass()).isEqualTo(AfdPollSocketChannel.class);
        assertThat(best.serverSocketChannelClass()).isEqualTo(AfdPollServerSocketChannel.class);
        assertThat(best.priority()).isGreaterThan(Transports.byName("nio").priority());
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "on Windows the real kernel is always there")
    void offWindowsWithoutEmulationTheProviderIsUnavailableAndSaysWhy() {
        String previous = System.getProperty("dx.windows.emulate");
        System.clearProperty("dx.windows.emulate");
        try {
            AfdPollTransportProvider provider = new AfdPollTransportProvider();
            assertThat(provider.isAvailable()).isFalse();
            assertThat(provider.unavailabilityCause()).isNotNull();
            assertThat(provider.unavailabilityCause().getMessage()).contains("dx.windows.emulate");
        } finally {
            System.setProperty("dx.windows.emulate", previous);
        }
    }
}
