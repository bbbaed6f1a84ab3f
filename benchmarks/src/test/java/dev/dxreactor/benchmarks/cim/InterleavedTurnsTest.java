package dev.dxreactor.benchmarks.cim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InterleavedTurnsTest {

    @Test
    void everyVariantTakesAsManyTurnsAsTheOthersAndFusedNeighboursBothPeers() {
        Map<ChainVariant, Integer> turns = new EnumMap<>(ChainVariant.class);
        List<ChainVariant> firstCycles = new ArrayList<>();
        for (int i = 0; i < CimChainInterleavedBenchmark.MEASUREMENT_ITERATIONS; i++) {
            ChainVariant variant = CimChainInterleavedBenchmark.variantOf(CimChainInterleavedBenchmark.WARMUP_ITERATIONS
                    + i);
            turns.merge(variant, 1, Integer::sum);
            if (i < 12) {
                firstCycles.add(variant);
            }
        }

        assertThat(turns).containsOnlyKeys(ChainVariant.values()).allSatisfy((v, n) -> assertThat(n).isEqualTo(40));
        assertThat(firstCycles).containsExactly(ChainVariant.SEPARATE_PASS_THROUGH, ChainVariant.FUSED_PASS_THROUGH,
                ChainVariant.BARE, ChainVariant.SEPARATE, ChainVariant.FUSED, ChainVariant.HAND_WRITTEN,
                ChainVariant.HAND_WRITTEN, ChainVariant.FUSED, ChainVariant.SEPARATE, ChainVariant.BARE,
                ChainVariant.FUSED_PASS_THROUGH, ChainVariant.SEPARATE_PASS_THROUGH);
    }

    @Test
    void theDefaultIterationsAreWholeForwardAndBackCyclesOfEveryVariant() {
        int cycle = 2 * CimChainInterleavedBenchmark.ORDER.size();

        assertThat(CimChainInterleavedBenchmark.ORDER).containsExactlyInAnyOrder(ChainVariant.values());
        assertThat(CimChainInterleavedBenchmark.WARMUP_ITERATIONS % cycle).isZero();
        assertThat(CimChainInterleavedBenchmark.MEASUREMENT_ITERATIONS % cycle).isZero();
    }

    @Test
    void aForkServesEveryVariantInTurnAndLeavesNothingBehind() {
        CimChainInterleavedBenchmark benchmark = new CimChainInterleavedBenchmark();
        benchmark.setUp();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            benchmark.nextTurn();
            for (int j = 0; j < 50; j++) {
                statuses.add(benchmark.request().status().code());
            }
        }

        assertThat(statuses).hasSize(600).containsOnly(200);
        // Throws if a channel kept a message, the request was not handed back, or a pass-through variant's hooks
        // stopped counting whole requests.
        benchmark.tearDown();
    }
}
