package dev.dxreactor.hbtp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class KeepaliveTest {

    private static final long IDLE = TimeUnit.SECONDS.toNanos(10);

    private final AtomicInteger idle = new AtomicInteger();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private Keepalive keepalive;

    private void start() {
        channel.freezeTime();
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                keepalive = new Keepalive(ctx, IDLE, idle::incrementAndGet);
            }
        });
        keepalive.start();
    }

    private void advance(long seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void silenceForTheIdleTimeoutRunsOnIdleOncePerPeriod() {
        start();
        advance(9);
        assertThat(idle).hasValue(0);
        advance(1);
        assertThat(idle).hasValue(1);
        advance(10);
        assertThat(idle).hasValue(2);
        channel.finishAndReleaseAll();
    }

    @Test
    void activityPostponesIdleByTheWholeTimeout() {
        start();
        advance(8);
        keepalive.activity();
        advance(8);
        assertThat(idle).as("8 s since the last activity").hasValue(0);
        advance(2);
        assertThat(idle).hasValue(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void stoppedItNeverRuns() {
        start();
        keepalive.stop();
        advance(60);
        assertThat(idle).hasValue(0);
        channel.finishAndReleaseAll();
    }
}
