package dev.dxreactor.fileio.internal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FirstReadSizeTest {

    private final FirstReadSize size = new FirstReadSize();

    @Test
    void startsAtTheMinimumAndNeverAsksForMoreThanTheLimitAllowsPlusOne() {
        assertThat(size.next(Integer.MAX_VALUE)).isEqualTo(FirstReadSize.MIN);
        assertThat(size.next(100)).isEqualTo(101);
    }

    @Test
    void growsAtOnceToFitAFileThatDidNotFit() {
        size.record(64 * 1024);

        int next = size.next(Integer.MAX_VALUE);
        assertThat(next).isGreaterThan(64 * 1024).isLessThanOrEqualTo(64 * 1024 + 4096);
    }

    @Test
    void aFileOfExactlyTheReadSizeGrowsItSoTheNextReadCanComeBackShort() {
        size.record(FirstReadSize.MIN);

        assertThat(size.next(Integer.MAX_VALUE)).isGreaterThan(FirstReadSize.MIN);
    }

    @Test
    void halvesOnlyAfterTwoSmallFilesInARow() {
        size.record(100 * 1024);
        int grown = size.next(Integer.MAX_VALUE);

        size.record(1000);
        assertThat(size.next(Integer.MAX_VALUE)).isEqualTo(grown);
        size.record(90 * 1024);
        size.record(1000);
        assertThat(size.next(Integer.MAX_VALUE)).as("a file in between resets the count").isEqualTo(grown);
        size.record(1000);
        assertThat(size.next(Integer.MAX_VALUE)).isEqualTo(grown / 2);
    }

    @Test
    void neverGrowsPastTheCeilingNorShrinksBelowTheFloor() {
        size.record(10L << 30);
        assertThat(size.next(Integer.MAX_VALUE)).isEqualTo(FirstReadSize.MAX);
        for (int i = 0; i < 100; i++) {
            size.record(0);
        }
        assertThat(size.next(Integer.MAX_VALUE)).isEqualTo(FirstReadSize.MIN);
    }

    @Property(tries = 200)
    void staysWithinItsBoundsAndFitsTheLastFileWhenThatWasSmallEnough(
            @ForAll @Size(min = 1, max = 50) List<@LongRange(min = 0, max = 1L << 24) Long> files) {
        FirstReadSize learned = new FirstReadSize();
        for (long file : files) {
            learned.record(file);
            int next = learned.next(Integer.MAX_VALUE);
            assertThat(next).isBetween(FirstReadSize.MIN, FirstReadSize.MAX);
            if (file < FirstReadSize.MAX) {
                assertThat((long) next).as("after a file of %d", file).isGreaterThan(file);
            }
        }
    }
}
