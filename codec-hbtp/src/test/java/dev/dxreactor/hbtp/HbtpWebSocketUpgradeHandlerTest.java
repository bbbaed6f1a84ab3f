package dev.dxreactor.hbtp;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HbtpWebSocketUpgradeHandlerTest {

    private final HbtpServerConfig hbtp = HbtpServerConfig.builder().router(new HbtpRouter()).build();

    @Test
    void putsTheWebSocketHandlersInItsPlace() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1024),
                new HbtpWebSocketUpgradeHandler(HbtpWebSocketConfig.builder(hbtp).build()));

        assertThat(channel.pipeline().names()).contains("hbtp-ws-origin", "hbtp-ws", "hbtp-ws-frames");
        assertThat(channel.pipeline().get(HbtpWebSocketUpgradeHandler.class)).isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void aSecondUpgradeHandlerInOnePipelineIsRefusedWithTheReason() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1024),
                new HbtpWebSocketUpgradeHandler(HbtpWebSocketConfig.builder(hbtp).path("/a").build()));

        assertThatThrownBy(() -> {
            channel.pipeline().addLast(new HbtpWebSocketUpgradeHandler(
                    HbtpWebSocketConfig.builder(hbtp).path("/b").build()));
            channel.checkException();
        }).hasStackTraceContaining("one HbtpWebSocketUpgradeHandler per pipeline")
                .hasStackTraceContaining("refused for path /b");
        channel.finishAndReleaseAll();
    }
}
