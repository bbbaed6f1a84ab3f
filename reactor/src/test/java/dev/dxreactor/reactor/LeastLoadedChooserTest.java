package dev.dxreactor.reactor;

import dev.dxreactor.reactor.internal.WorkerGroup;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LeastLoadedChooserTest {

    private static final int LOOPS = 4;
    private static WorkerGroup group;
    private static List<EventLoop> loops;

    @BeforeContainer
    static void startLoops() {
        group = new WorkerGroup(LOOPS,
                new ThreadPerTaskExecutor(new DefaultThreadFactory("chooser-test", true)),
                NioIoHandler.newFactory());
        loops = new ArrayList<>();
        for (EventExecutor e : group) {
            loops.add((EventLoop) e);
        }
    }

    /** Deregistration after a close runs as a later task on the loop; wait for it. */
    private static void awaitNoChannels() throws InterruptedException {
        for (int attempt = 0; attempt < 500; attempt++) {
            if (loops.stream().allMatch(l -> ((SingleThreadEventLoop) l).registeredChannels() == 0)) {
                return;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("channels of an earlier try are still registered");
    }

    @AfterContainer
    static void stopLoops() {
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    @Property(tries = 100)
    void nextPicksALoopWithTheFewestChannels(
            @ForAll @Size(LOOPS) List<@IntRange(min = 0, max = 3) Integer> channelsPerLoop) throws Exception {
        awaitNoChannels();
        List<Channel> channels = new ArrayList<>();
        try {
            for (int i = 0; i < LOOPS; i++) {
                for (int c = 0; c < channelsPerLoop.get(i); c++) {
                    Channel ch = new NioSocketChannel();
                    loops.get(i).register(ch).sync();
                    channels.add(ch);
                }
            }
            int min = channelsPerLoop.stream().mapToInt(Integer::intValue).min().orElseThrow();
            Set<EventLoop> leastLoaded = new HashSet<>();
            for (int i = 0; i < LOOPS; i++) {
                if (channelsPerLoop.get(i) == min) {
                    leastLoaded.add(loops.get(i));
                }
            }

            Set<EventLoop> chosen = new HashSet<>();
            for (int n = 0; n < LOOPS * 2; n++) {
                EventLoop next = group.next();
                assertThat(((SingleThreadEventLoop) next).registeredChannels()).isEqualTo(min);
                chosen.add(next);
            }
            // Ties go round-robin: every least-loaded loop gets its turn.
            assertThat(chosen).isEqualTo(leastLoaded);
        } finally {
            for (Channel ch : channels) {
                ch.close().sync();
            }
        }
    }
}
