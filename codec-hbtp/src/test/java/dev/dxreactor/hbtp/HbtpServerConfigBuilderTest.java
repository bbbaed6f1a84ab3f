package dev.dxreactor.hbtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HbtpServerConfigBuilderTest {

    @Test
    void aBuilderGoesOnToMakeVariantsWithoutChangingWhatItBuilt() {
        HbtpEventHandler echo = (session, event, payload) -> { };
        HbtpServerConfig.Builder builder = HbtpServerConfig.builder().maxInFlight(7).onClientEvent(3, echo);
        HbtpServerConfig plain = builder.build();

        HbtpServerConfig sealed = builder.encryption(HbtpEncryptionMode.REQUIRED).preSharedKey(new byte[16])
                .maxInFlight(9).onClientEvent(4, echo).build();

        assertThat(plain.encryption()).isEqualTo(HbtpEncryptionMode.OPTIONAL);
        assertThat(plain.hasPreSharedKey()).isFalse();
        assertThat(plain.maxInFlight()).isEqualTo(7);
        assertThat(plain.eventHandler(3)).isSameAs(echo);
        assertThat(plain.eventHandler(4)).isNull();
        assertThat(sealed.encryption()).isEqualTo(HbtpEncryptionMode.REQUIRED);
        assertThat(sealed.hasPreSharedKey()).isTrue();
        assertThat(sealed.maxInFlight()).isEqualTo(9);
        assertThat(sealed.eventHandler(3)).isSameAs(echo);
        assertThat(sealed.eventHandler(4)).isSameAs(echo);
    }
}
