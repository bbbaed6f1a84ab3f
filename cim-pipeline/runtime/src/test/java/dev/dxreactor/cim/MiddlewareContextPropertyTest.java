package dev.dxreactor.cim;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class MiddlewareContextPropertyTest {

    private static final List<ContextKey<Integer>> KEYS = IntStream.range(0, 7)
            .mapToObj(i -> ContextKey.<Integer>of("key " + i)).toList();

    /** A put ({@code value >= 0}, or null for {@code -1}) or a get ({@code value < -1}) on one of the keys. */
    record Step(int key, int value) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.integers().between(0, KEYS.size() - 1)
                .flatMap(k -> Arbitraries.integers().between(-3, 50).map(v -> new Step(k, v)))
                .list().ofMaxSize(40);
    }

    @Property(tries = 300)
    void slotsBehaveAsAMapWhicheverKeysAreUsedFirst(@ForAll("steps") List<Step> steps) {
        MiddlewareContext context = new MiddlewareContext(0);
        Map<Integer, Integer> model = new HashMap<>();
        for (Step step : steps) {
            ContextKey<Integer> key = KEYS.get(step.key());
            if (step.value() >= -1) {
                Integer value = step.value() == -1 ? null : step.value();
                context.put(key, value);
                model.put(step.key(), value);
            }
            for (int k = 0; k < KEYS.size(); k++) {
                assertThat(context.get(KEYS.get(k))).as("key %d after %s", k, step).isEqualTo(model.get(k));
            }
        }
    }
}
