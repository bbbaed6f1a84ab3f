package dev.dxreactor.hbtp;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which origins the default policy lets upgrade, and the checks of the builder. */
class HbtpWebSocketConfigTest {

    private final HbtpServerConfig hbtp = HbtpServerConfig.builder().router(new HbtpRouter()).build();
    private final HbtpWebSocketConfig sameOrigin = HbtpWebSocketConfig.builder(hbtp).build();

    @Test
    void byDefaultOnlyThePageOfTheServersOwnOriginMayUpgrade() {
        assertThat(sameOrigin.allows("http://app.example:8080", "app.example:8080")).isTrue();
        assertThat(sameOrigin.allows("http://APP.example:8080", "app.example:8080")).as("host names ignore case").isTrue();
        assertThat(sameOrigin.allows("http://app.example", "app.example:80")).as("default port").isTrue();
        assertThat(sameOrigin.allows("https://app.example", "app.example")).as("https: 443 both").isTrue();
        assertThat(sameOrigin.allows("http://[::1]:8080", "[::1]:8080")).isTrue();

        assertThat(sameOrigin.allows("http://app.example:8081", "app.example:8080")).isFalse();
        assertThat(sameOrigin.allows("https://app.example", "app.example:80")).isFalse();
        assertThat(sameOrigin.allows("http://evil.example:8080", "app.example:8080")).isFalse();
        assertThat(sameOrigin.allows("http://app.example.evil.example:8080", "app.example:8080")).isFalse();
        assertThat(sameOrigin.allows("null", "app.example:8080")).as("a sandboxed page").isFalse();
        assertThat(sameOrigin.allows("not a uri", "app.example:8080")).isFalse();
        assertThat(sameOrigin.allows("http://app.example:8080", null)).as("no Host").isFalse();
    }

    @Test
    void aRequestWithoutOriginIsNotFromABrowserAndMayUpgrade() {
        assertThat(sameOrigin.allows(null, "app.example:8080")).isTrue();
        assertThat(HbtpWebSocketConfig.builder(hbtp).allowedOrigins(origin -> false).build().allows(null, "x"))
                .isTrue();
    }

    @Test
    void aConfiguredPolicyReplacesTheDefault() {
        HbtpWebSocketConfig config = HbtpWebSocketConfig.builder(hbtp)
                .allowedOrigins("https://app.example"::equals).build();
        assertThat(config.allows("https://app.example", "api.example")).isTrue();
        assertThat(config.allows("http://api.example", "api.example")).isFalse();
    }

    @Test
    void theMessageLimitFitsTheLargestFrameOrTheSendersPacking() {
        assertThat(sameOrigin.maxMessageLength()).isEqualTo(HbtpHeader.SIZE + hbtp.maxFrameLength());
        HbtpServerConfig small = HbtpServerConfig.builder().router(new HbtpRouter()).maxFrameLength(1024).build();
        assertThat(HbtpWebSocketConfig.builder(small).build().maxMessageLength()).isEqualTo(64 << 10);
    }

    @Test
    void invalidSettingsAreAllReported() {
        assertThatThrownBy(() -> HbtpWebSocketConfig.builder(hbtp).path("hbtp").handshakeTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("path = hbtp").hasMessageContaining("handshakeTimeout");
        assertThatThrownBy(() -> HbtpWebSocketConfig.builder(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theUpgradePathMatchesExactlyOrWithAQuery() {
        assertThat(WebSocketOriginGate.isOnPath("/hbtp", "/hbtp")).isTrue();
        assertThat(WebSocketOriginGate.isOnPath("/hbtp?token=1", "/hbtp")).isTrue();
        assertThat(WebSocketOriginGate.isOnPath("/hbtp2", "/hbtp")).isFalse();
        assertThat(WebSocketOriginGate.isOnPath("/hbtp/x", "/hbtp")).isFalse();
    }
}
