package dev.dxreactor.reactor;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ReactorConfigTest {

    /** A random assignment of some numeric fields; values are drawn around and beyond each range. */
    record Fields(Map<String, Integer> values) {
    }

    @Property(tries = 300)
    void validationReportsExactlyTheInvalidFields(@ForAll("fields") Fields fields) {
        ReactorConfig.Builder builder = ReactorConfig.builder();
        fields.values().forEach((name, value) -> set(builder, name, value));

        Set<String> expectedInvalid = new HashSet<>();
        fields.values().forEach((name, value) -> {
            if (!isValid(name, value)) {
                expectedInvalid.add(name);
            }
        });

        if (expectedInvalid.isEmpty()) {
            ReactorConfig config = builder.build();
            assertThat(config.explicitOptions()).containsExactlyInAnyOrderElementsOf(fields.values().keySet());
        } else {
            ReactorConfigException e = catchThrowableOfType(ReactorConfigException.class, builder::build);
            assertThat(e).isNotNull();
            assertThat(e.invalidFields()).containsExactlyInAnyOrderElementsOf(expectedInvalid);
            for (String field : expectedInvalid) {
                assertThat(e.getMessage()).contains(field + " = " + fields.values().get(field));
            }
        }
    }

    @Test
    void threeMistakesAreReportedTogetherWithTheirRanges() {
        assertThatThrownBy(() -> ReactorConfig.builder().ringEntries(1000).bufferSize(8).maxEventsPerWake(0).build())
                .isInstanceOf(ReactorConfigException.class)
                .hasMessageContaining("3 invalid ReactorConfig field(s)")
                .hasMessageContaining("ringEntries = 1000 (allowed: a power of two from 2 to 32768)")
                .hasMessageContaining("bufferSize = 8 (allowed: 64 to 1048576)")
                .hasMessageContaining("maxEventsPerWake = 0 (allowed: 1 to 65536)");
    }

    @Test
    void booleansCountAsExplicitOnlyWhenSet() {
        assertThat(ReactorConfig.defaults().explicitOptions()).isEmpty();
        ReactorConfig config = ReactorConfig.builder().sqpoll(false).zeroCopySend(true).build();
        assertThat(config.explicitOptions()).containsExactly(ReactorConfig.SQPOLL, ReactorConfig.ZERO_COPY_SEND);
        assertThat(config.sqpoll()).isFalse();
        assertThat(config.zeroCopySend()).isTrue();
        assertThat(config.ringEntries()).isEmpty();
    }

    @Provide
    Arbitrary<Fields> fields() {
        Map<String, Arbitrary<Integer>> perField = new LinkedHashMap<>();
        perField.put(ReactorConfig.RING_ENTRIES, around(2, 32768, true));
        perField.put(ReactorConfig.SQPOLL_IDLE_MILLIS, around(1, 600_000, false));
        perField.put(ReactorConfig.SQPOLL_CPU, around(0, 1023, false));
        perField.put(ReactorConfig.BUFFER_SIZE, around(64, 1 << 20, false));
        perField.put(ReactorConfig.BUFFER_COUNT, around(1, 32768, true));
        perField.put(ReactorConfig.MAX_EVENTS_PER_WAKE, around(1, 65536, false));
        perField.put(ReactorConfig.CONCURRENCY_HINT, around(0, 1024, false));
        Arbitrary<Set<String>> chosen = Arbitraries.of(perField.keySet()).set().ofMaxSize(perField.size());
        return chosen.flatMap(names -> {
            if (names.isEmpty()) {
                return Arbitraries.just(new Fields(Map.of()));
            }
            Map<String, Arbitrary<Integer>> picked = new LinkedHashMap<>();
            names.forEach(n -> picked.put(n, perField.get(n)));
            return Combinators.combine(picked.values().stream().toList()).as(values -> {
                Map<String, Integer> map = new LinkedHashMap<>();
                int i = 0;
                for (String n : picked.keySet()) {
                    map.put(n, values.get(i++));
                }
                return new Fields(map);
            });
        });
    }

    /** Values inside, at, and just beyond the bounds, plus powers of two and arbitrary ints. */
    private static Arbitrary<Integer> around(int min, int max, boolean powerOfTwo) {
        Arbitrary<Integer> edges = Arbitraries.of(min - 1, min, min + 1, max - 1, max, max + 1, 0, -1,
                Integer.MIN_VALUE, Integer.MAX_VALUE);
        Arbitrary<Integer> inside = Arbitraries.integers().between(min, max);
        Arbitrary<Integer> powers = Arbitraries.integers().between(0, 30).map(b -> 1 << b);
        Arbitrary<Integer> any = Arbitraries.integers();
        return powerOfTwo ? Arbitraries.oneOf(edges, inside, powers, any) : Arbitraries.oneOf(edges, inside, any);
    }

    /** The documented ranges, restated here independently of the builder. */
    private static boolean isValid(String name, int v) {
        return switch (name) {
            case ReactorConfig.RING_ENTRIES -> v >= 2 && v <= 32768 && Integer.bitCount(v) == 1;
            case ReactorConfig.SQPOLL_IDLE_MILLIS -> v >= 1 && v <= 600_000;
            case ReactorConfig.SQPOLL_CPU -> v >= 0 && v <= 1023;
            case ReactorConfig.BUFFER_SIZE -> v >= 64 && v <= 1 << 20;
            case ReactorConfig.BUFFER_COUNT -> v >= 1 && v <= 32768 && Integer.bitCount(v) == 1;
            case ReactorConfig.MAX_EVENTS_PER_WAKE -> v >= 1 && v <= 65536;
            case ReactorConfig.CONCURRENCY_HINT -> v >= 0 && v <= 1024;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static void set(ReactorConfig.Builder b, String name, int v) {
        switch (name) {
            case ReactorConfig.RING_ENTRIES -> b.ringEntries(v);
            case ReactorConfig.SQPOLL_IDLE_MILLIS -> b.sqpollIdleMillis(v);
            case ReactorConfig.SQPOLL_CPU -> b.sqpollCpu(v);
            case ReactorConfig.BUFFER_SIZE -> b.bufferSize(v);
            case ReactorConfig.BUFFER_COUNT -> b.bufferCount(v);
            case ReactorConfig.MAX_EVENTS_PER_WAKE -> b.maxEventsPerWake(v);
            case ReactorConfig.CONCURRENCY_HINT -> b.concurrencyHint(v);
            default -> throw new IllegalArgumentException(name);
        }
    }
}
