package dev.dxreactor.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Checks the leak checker itself: the nested classes leak on purpose and are run here through the
 * engine test kit, never by the build's own test run (Surefire skips nested classes).
 */
class LeakCheckTest {

    @Test
    void aJupiterTestThatLeaksABufferFailsWithTheLeakReport() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(LeaksInJupiter.class))
                .execute();

        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        assertThat(failureOf(results)).hasMessageContaining("LEAK: ByteBuf.release() was not called")
                .hasMessageContaining("dropsABufferWithoutReleasingIt");
    }

    @Test
    void aJupiterTestThatReleasesItsBuffersPasses() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(ReleasesInJupiter.class))
                .execute();

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @Test
    void aPropertyThatLeaksABufferFailsWithTheLeakReport() {
        EngineExecutionResults results = EngineTestKit.engine("jqwik")
                .selectors(selectClass(LeaksInProperty.class))
                .execute();

        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        assertThat(failureOf(results)).hasMessageContaining("LEAK: ByteBuf.release() was not called");
    }

    @Test
    void aPropertyThatReleasesItsBuffersPasses() {
        EngineExecutionResults results = EngineTestKit.engine("jqwik")
                .selectors(selectClass(ReleasesInProperty.class))
                .execute();

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    private static Throwable failureOf(EngineExecutionResults results) {
        Event failed = results.testEvents().failed().stream().findFirst().orElseThrow();
        return failed.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
                .getThrowable().orElseThrow();
    }

    @ExtendWith(LeakCheckExtension.class)
    static class LeaksInJupiter {
        @Test
        void dropsABufferWithoutReleasingIt() {
            ByteBufAllocator.DEFAULT.directBuffer(16).writeLong(42);
        }
    }

    @ExtendWith(LeakCheckExtension.class)
    static class ReleasesInJupiter {
        @Test
        void releasesEveryBuffer() {
            ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(16).writeLong(42);
            buf.release();
        }
    }

    static class LeaksInProperty {
        @Property(tries = 10)
        void dropsBuffersWithoutReleasingThem(@ForAll @IntRange(min = 1, max = 64) int size) {
            ByteBufAllocator.DEFAULT.directBuffer(size).writeByte(size);
        }
    }

    static class ReleasesInProperty {
        @Property(tries = 10)
        void releasesEveryBuffer(@ForAll @IntRange(min = 1, max = 64) int size) {
            ByteBufAllocator.DEFAULT.directBuffer(size).writeByte(size).release();
        }
    }
}
