package dev.dxreactor.reactor;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DxReactorMetricsTest {

    @Test
    void everyLoopHasPendingTasksChannelsAndLagAndABlockedLoopShowsBoth() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DxReactor reactor = DxReactor.builder().transport("nio").workers(WorkerStrategy.fixed(2)).build();
             DxReactorMetrics metrics = new DxReactorMetrics(reactor.group(), Duration.ofMillis(10), "app", "test")) {
            metrics.bindTo(registry);
            for (String loop : new String[]{"0", "1"}) {
                assertThat(registry.get("dx.reactor.pending.tasks").tags("loop", loop, "app", "test").gauge().value())
                        .isGreaterThanOrEqualTo(0);
                assertThat(registry.get("dx.reactor.channels").tags("loop", loop).gauge().value()).isZero();
                Timer lag = registry.get("dx.reactor.loop.lag").tags("loop", loop).timer();
                await("probes ran on loop " + loop, () -> lag.count() >= 3);
            }

            // Loop 0 busy for 200 ms: the probe due within 10 ms of the start runs at least 190 ms late, and
            // tasks handed to the loop meanwhile wait in its queue.
            var loop0 = reactor.group().iterator().next();
            CountDownLatch blocking = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop0.execute(() -> {
                blocking.countDown();
                try {
                    Thread.sleep(200);
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 5; i++) {
                loop0.execute(() -> { });
            }
            assertThat(registry.get("dx.reactor.pending.tasks").tags("loop", "0").gauge().value())
                    .isGreaterThanOrEqualTo(5);
            release.countDown();
            Timer lag0 = registry.get("dx.reactor.loop.lag").tags("loop", "0").timer();
            await("the late probe was recorded", () -> lag0.max(TimeUnit.MILLISECONDS) >= 100);
            await("the queue drained", () -> registry.get("dx.reactor.pending.tasks").tags("loop", "0")
                    .gauge().value() == 0);
        }
    }

    @Test
    void bindsOnceAndRefusesABadInterval() {
        try (DxReactor reactor = DxReactor.builder().transport("nio").workers(WorkerStrategy.fixed(1)).build();
             DxReactorMetrics metrics = new DxReactorMetrics(reactor.group())) {
            metrics.bindTo(new SimpleMeterRegistry());
            assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> new DxReactorMetrics(reactor.group(), Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - giveUp > 0) {
                throw new AssertionError("still not true after 30 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
