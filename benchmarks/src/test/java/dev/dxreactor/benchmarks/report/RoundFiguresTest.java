package dev.dxreactor.benchmarks.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoundFiguresTest {

    @Test
    void keepsEachVariantsFiguresInRoundOrderAndTheVariantsInFirstSeenOrder() {
        RoundFigures figures = new RoundFigures();
        figures.add("b", 2);
        figures.add("a", 10);
        figures.add("b", 4);
        figures.add("a", 30);
        figures.add("b", 3);

        assertThat(figures.variants()).containsExactly("b", "a");
        assertThat(figures.of("b")).containsExactly(2, 4, 3);
        assertThat(figures.last("b")).isEqualTo(3);
        assertThat(figures.median("b")).isEqualTo(3);
        assertThat(figures.min("b")).isEqualTo(2);
        assertThat(figures.max("b")).isEqualTo(4);
        assertThat(figures.ratios("a", "b")).containsExactly(5, 7.5);
    }

    @Test
    void anUnmeasuredVariantIsAnErrorNamingWhatWasMeasured() {
        RoundFigures figures = new RoundFigures();
        figures.add("a", 1);

        assertThat(figures.has("b")).isFalse();
        assertThatThrownBy(() -> figures.of("b")).hasMessageContaining("b").hasMessageContaining("[a]");
    }

    @Test
    void interleavedRoundsRunEveryVariantOncePerRoundReversingEveryOtherRound() throws Exception {
        List<String> ran = new ArrayList<>();
        List<Integer> ended = new ArrayList<>();

        Interleaved.run(3, List.of("A", "B", "C"), (round, v) -> ran.add(round + v), ended::add);

        assertThat(ran).containsExactly("0A", "0B", "0C", "1C", "1B", "1A", "2A", "2B", "2C");
        assertThat(ended).containsExactly(0, 1, 2);
        assertThat(Interleaved.order(List.of(1, 2), 5)).containsExactly(2, 1);
    }
}
