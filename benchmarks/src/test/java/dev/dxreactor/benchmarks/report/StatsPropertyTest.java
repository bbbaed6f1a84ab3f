package dev.dxreactor.benchmarks.report;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StatsPropertyTest {

    @Property(tries = 200)
    void theMedianOfAnOddCountIsTheValueWithAsManyBelowAsAbove(
            @ForAll @Size(min = 0, max = 20) List<@DoubleRange(min = -1e6, max = 1e6) Double> half,
            @ForAll @DoubleRange(min = -1e6, max = 1e6) double middle, @ForAll long seed) {
        List<Double> values = new ArrayList<>();
        for (double v : half) {
            values.add(Math.min(v, middle));
            values.add(Math.max(v, middle) + 1);
        }
        values.add(middle);
        Collections.shuffle(values, new Random(seed));

        assertThat(Stats.median(values)).isEqualTo(middle);
    }

    @Property(tries = 200)
    void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues(
            @ForAll @Size(min = 1, max = 20) List<@DoubleRange(min = -1e6, max = 1e6) Double> values,
            @ForAll long seed) {
        List<Double> even = new ArrayList<>(values);
        if (even.size() % 2 == 1) {
            even.add(even.get(0));
        }
        List<Double> sorted = new ArrayList<>(even);
        Collections.sort(sorted);
        int n = sorted.size();
        Collections.shuffle(even, new Random(seed));

        assertThat(Stats.median(even)).isEqualTo((sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }

    @Property(tries = 200)
    void theMedianLiesBetweenMinAndMaxAndLeavesItsInputAlone(
            @ForAll @Size(min = 1, max = 30) List<@DoubleRange(min = -1e6, max = 1e6) Double> values) {
        double[] array = values.stream().mapToDouble(Double::doubleValue).toArray();
        double[] before = array.clone();

        double median = Stats.median(array);

        assertThat(median).isBetween(Stats.min(array), Stats.max(array));
        assertThat(array).containsExactly(before);
    }

    @Property(tries = 200)
    void eachRoundsRatioIsThatRoundsVariantOverThatRoundsBaseline(
            @ForAll @Size(min = 1, max = 15) List<@DoubleRange(min = 0.01, max = 1e6) Double> baseline,
            @ForAll @DoubleRange(min = 0.01, max = 100) double factor, @ForAll @IntRange(max = 14) int slowRound) {
        RoundFigures figures = new RoundFigures();
        for (int r = 0; r < baseline.size(); r++) {
            figures.add("baseline", baseline.get(r));
            // One round in which the variant alone was slowed tenfold, as a burst of load would.
            figures.add("variant", baseline.get(r) * factor * (r == slowRound ? 10 : 1));
        }

        double[] ratios = figures.ratios("variant", "baseline");

        assertThat(ratios).hasSize(baseline.size());
        for (int r = 0; r < ratios.length; r++) {
            assertThat(ratios[r]).isCloseTo(factor * (r == slowRound ? 10 : 1), within(factor * 1e-9));
        }
        if (baseline.size() >= 3) {
            assertThat(figures.medianRatio("variant", "baseline")).isCloseTo(factor, within(factor * 1e-9));
        }
    }
}
