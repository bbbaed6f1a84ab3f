package dev.dxreactor.benchmarks.cim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OverheadRatioTest {

    @Test
    void aFusedChainFasterThanItsReferenceKeepsItsNegativeRatioAndMeetsTheBar() {
        double ratio = CimChainReport.overheadRatio(-3.0, 30.0);
        CimChainReport.Bar bar = new CimChainReport.Bar("r", ratio, new double[] {ratio}, CimChainReport.OVERHEAD_BAR);

        assertThat(ratio).isEqualTo(-0.1);
        assertThat(CimChainReport.ratio(ratio)).isEqualTo("-0.100");
        assertThat(bar.passed()).isTrue();
    }

    @Test
    void aSeparateOverheadOfZeroOrLessGivesNoRatioAndFailsTheBar() {
        double ratio = CimChainReport.overheadRatio(5.0, 0.0);
        CimChainReport.Bar bar = new CimChainReport.Bar("r", ratio, new double[] {ratio, 0.4},
                CimChainReport.OVERHEAD_BAR);

        assertThat(CimChainReport.overheadRatio(-5.0, -1.0)).isNaN();
        assertThat(CimChainReport.ratio(ratio)).isEqualTo("n/a");
        assertThat(bar.passed()).isFalse();
        assertThat(bar.verdict()).isEqualTo("FAIL");
        assertThat(bar.spread()).isEqualTo("0.400 - 0.400 (n/a in 1)");
    }

    @Test
    void theBarIsHeldAtHalfTheSeparateOverhead() {
        CimChainReport.Bar half = new CimChainReport.Bar("r", CimChainReport.overheadRatio(15.0, 30.0),
                new double[] {0.5}, CimChainReport.OVERHEAD_BAR);
        CimChainReport.Bar more = new CimChainReport.Bar("r", CimChainReport.overheadRatio(15.1, 30.0),
                new double[] {0.503}, CimChainReport.OVERHEAD_BAR);
        CimChainReport.Bar reported = new CimChainReport.Bar("r", 0.9, new double[] {0.9}, Double.NaN);

        assertThat(half.passed()).isTrue();
        assertThat(more.passed()).isFalse();
        assertThat(reported.isBar()).isFalse();
        assertThat(reported.verdict()).isEqualTo("-");
    }
}
