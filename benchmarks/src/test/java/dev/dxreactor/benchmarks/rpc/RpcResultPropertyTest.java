package dev.dxreactor.benchmarks.rpc;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RESULT line of the process contract: what a client prints, the driver reads back. */
class RpcResultPropertyTest {

    @Provide
    Arbitrary<RpcResult> results() {
        Arbitrary<Long> counts = Arbitraries.longs().between(0, Long.MAX_VALUE / 2);
        Arbitrary<Long> micros = Arbitraries.longs().between(0, 100_000_000L);
        // Seconds as printed: 3 decimals.
        Arbitrary<Double> seconds = Arbitraries.integers().between(1, 10_000_000).map(ms -> ms / 1000.0);
        return Combinators.combine(counts, counts, seconds, micros, micros, micros, micros, micros)
                .as(RpcResult::new);
    }

    @Property(tries = 200)
    void aPrintedLineReadsBackAsTheSameResult(@ForAll("results") RpcResult result) {
        assertThat(RpcResult.parse(result.line())).isEqualTo(result);
    }

    @Property(tries = 200)
    void theFieldsMayComeInAnyOrder(@ForAll("results") RpcResult result, @ForAll long seed) {
        String line = result.line();
        List<String> fields = new ArrayList<>(List.of(line.substring(RpcResult.PREFIX.length()).split(" ")));
        Collections.shuffle(fields, new Random(seed));

        assertThat(RpcResult.parse(RpcResult.PREFIX + String.join(" ", fields))).isEqualTo(result);
    }

    @Property(tries = 100)
    void aLineWithoutOneFieldIsRefusedNamingIt(@ForAll("results") RpcResult result,
                                               @ForAll("fieldIndexes") int dropped) {
        List<String> fields = new ArrayList<>(List.of(result.line().substring(RpcResult.PREFIX.length()).split(" ")));
        String name = fields.remove(dropped).split("=")[0];

        assertThatThrownBy(() -> RpcResult.parse(RpcResult.PREFIX + String.join(" ", fields)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no " + name + "=");
    }

    @Provide
    Arbitrary<Integer> fieldIndexes() {
        return Arbitraries.integers().between(0, 7);
    }
}
