package dev.dxreactor.benchmarks.rsocket;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PeerArgsTest {

    private static final Set<String> NAMES = Set.of("port", "seconds", "transport");

    private static PeerArgs parse(String... args) {
        return PeerArgs.parse(args, NAMES);
    }

    @Test
    void readsNameValuePairsAndFallsBackForAbsentNames() {
        PeerArgs args = parse("--seconds", "2.5", "--port", "7000");

        assertThat(args.integer("port", 0, 0, 65_535)).isEqualTo(7000);
        assertThat(args.seconds("seconds", 10)).isEqualTo(2.5);
        assertThat(args.text("transport", "nio")).isEqualTo("nio");
    }

    @Test
    void rejectsAnUnknownOptionNamingTheKnownOnes() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--prot", "7000"))
                .withMessageContaining("--prot").withMessageContaining("--port");
    }

    @Test
    void rejectsAnOptionWithoutValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--port", "7000", "--seconds"))
                .withMessageContaining("pairs");
    }

    @Test
    void rejectsAValueWhereANameBelongs() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("port", "7000"))
                .withMessageContaining("expected --name");
    }

    @Test
    void rejectsARepeatedOption() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--port", "1", "--port", "2"))
                .withMessageContaining("twice");
    }

    @Test
    void rejectsAMalformedOrOutOfRangeInteger() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--port", "70o0").integer("port", 0, 0, 65_535))
                .withMessageContaining("integer");
        assertThatIllegalArgumentException().isThrownBy(() -> parse("--port", "65536").integer("port", 0, 0, 65_535))
                .withMessageContaining("[0, 65535]");
    }

    @Test
    void rejectsNegativeNotANumberAndInfiniteSeconds() {
        for (String bad : new String[] {"-1", "NaN", "Infinity", "soon"}) {
            assertThatIllegalArgumentException().as(bad)
                    .isThrownBy(() -> parse("--seconds", bad).seconds("seconds", 1));
        }
    }
}
