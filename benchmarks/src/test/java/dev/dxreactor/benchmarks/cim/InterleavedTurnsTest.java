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
        for (int i = 0; i < 160; i++) {
            ChainVariant variant = CimChainInterleavedBenchmark.variantOf(24 + i);
            turns.merge(variant, 1, Integer::sum);
            if (i < 8) {
                firstCycles.add(variant);
            }
        }

        assertThat(turns).containsOnlyKeys(ChainVariant.values()).allSatisfy((v, n) -> assertThat(n).isEqualTo(40));
        assertThat(firstCycles).containsExactly(ChainVariant.BARE, ChainVariant.SEPARATE, ChainVariant.FUSED,
                ChainVariant.HAND_WRITTEN, ChainVariant.HAND_WRITTEN, ChainVariant.FUSED, ChainVariant.SEPARATE,
                ChainVariant.BARE);
    }

    @Test
    void aForkServesEveryVariantInTurnAndLeavesNothingBehind() {
        CimChainInterleavedBenchmark benchmark = new CimChainInterleavedBenchmark();
        benchmark.setUp();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            benchmark.nextTurn();
            for (int j = 0; j < 50; j++) {
                statuses.add(benchmark.request().status().code());
            }
        }

        assertThat(statuses).hasSize(400).containsOnly(200);
        // Throws if a channel kept a message or the request was not handed back.
        benchmark.tearDown();
    }
}
