package dev.dxreactor.dbteleport;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Placeholders are counted only where they are placeholders, and calls are checked against them. */
class ParametersTest {

    @Test
    void placeholdersAreCountedOutsideLiteralsCommentsAndDollarQuotes() {
        assertThat(Parameters.placeholderCount("q", "SELECT 1")).isZero();
        assertThat(Parameters.placeholderCount("q", "SELECT * FROM t WHERE a = $1 AND b = $2 OR c = $1")).isEqualTo(2);
        assertThat(Parameters.placeholderCount("q", "SELECT '$9', \"$8\", $1 -- $7\n/* $6 /* $5 */ */")).isEqualTo(1);
        assertThat(Parameters.placeholderCount("q", "SELECT $$ $4 $$, $tag$ $3 $tag$, $2, $1")).isEqualTo(2);
        assertThat(Parameters.placeholderCount("q", "SELECT 'it''s $3', $1")).isEqualTo(1);
        assertThat(Parameters.placeholderCount("q", "SELECT a$1 FROM t WHERE x = $1")).isEqualTo(1);
    }

    @Test
    void aSkippedPlaceholderNumberIsRefused() {
        assertThatThrownBy(() -> Parameters.placeholderCount("q", "SELECT $2"))
                .hasMessage("query 'q' uses $2 but not $1");
        assertThatThrownBy(() -> Parameters.placeholderCount("q", "SELECT $0"))
                .hasMessage("query 'q' uses $0; placeholders start at $1");
    }

    @Test
    void inferredParametersTakeAnySupportedValueAndDeclaredOnesExactlyTheirType() {
        Parameters inferred = Parameters.inferred("q", "SELECT $1, $2");
        inferred.check(List.of("a", 1L));
        inferred.check(List.of(1, java.util.UUID.randomUUID()));
        assertThatThrownBy(() -> inferred.check(List.of("a", new int[0])))
                .hasMessageStartingWith("query 'q': $2 has unsupported type [I; supported: [BigDecimal, Boolean");

        Parameters declared = Parameters.declared("q", "SELECT $1", List.of(Long.class));
        declared.check(List.of(1L));
        assertThatThrownBy(() -> declared.check(List.of(1)))
                .hasMessage("query 'q': $1 must be Long, got java.lang.Integer");
    }
}
