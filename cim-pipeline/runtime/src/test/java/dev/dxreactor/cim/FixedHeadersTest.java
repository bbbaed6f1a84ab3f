package dev.dxreactor.cim;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FixedHeadersTest {

    private static final List<String> NAMES = List.of("Vary", "vary", "Access-Control-Allow-Origin", "X-Other",
            "Content-Type");

    /** Every header in order, as {@code name: value} lines, names as stored. */
    private static List<String> lines(HttpHeaders headers) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            lines.add(h.getKey() + ": " + h.getValue());
        }
        return lines;
    }

    @Provide
    Arbitrary<List<String>> pairs() {
        Arbitrary<String> name = Arbitraries.of(NAMES);
        Arbitrary<String> value = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(12);
        return name.list().ofMinSize(0).ofMaxSize(6).flatMap(names -> value.list().ofSize(names.size())
                .map(values -> {
                    List<String> flat = new ArrayList<>();
                    for (int i = 0; i < names.size(); i++) {
                        flat.add(names.get(i));
                        flat.add(values.get(i));
                    }
                    return flat;
                }));
    }

    @Property(tries = 200)
    void settingFixedHeadersLeavesWhatSettingThemOneByOneLeaves(@ForAll("pairs") List<String> existing,
                                                                @ForAll("pairs") List<String> fixed,
                                                                @ForAll boolean validating) {
        if (fixed.isEmpty()) {
            return;
        }
        HttpHeaders viaFixed = DefaultHttpHeadersFactory.headersFactory().withValidation(validating).newHeaders();
        HttpHeaders oneByOne = DefaultHttpHeadersFactory.headersFactory().withValidation(validating).newHeaders();
        for (int i = 0; i < existing.size(); i += 2) {
            viaFixed.add(existing.get(i), existing.get(i + 1));
            oneByOne.add(existing.get(i), existing.get(i + 1));
        }
        // What "set each, in order" means for a list that names a header twice: the later pairs add to it.
        List<String> alreadySet = new ArrayList<>();
        for (int i = 0; i < fixed.size(); i += 2) {
            String name = fixed.get(i);
            if (alreadySet.stream().anyMatch(name::equalsIgnoreCase)) {
                oneByOne.add(name, fixed.get(i + 1));
            } else {
                oneByOne.set(name, fixed.get(i + 1));
                alreadySet.add(name);
            }
        }

        FixedHeaders.of(fixed.toArray(String[]::new)).setOn(viaFixed);

        assertThat(lines(viaFixed)).isEqualTo(lines(oneByOne));
    }

    @Test
    void namesKeepTheirCaseAndReplaceEarlierValuesOfAnyCase() {
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders()
                .add("vary", "Accept-Encoding").add("Content-Type", "application/json");

        FixedHeaders.of("Access-Control-Allow-Origin", "https://app.example.com", "Vary", "Origin").setOn(headers);

        assertThat(lines(headers)).containsExactly("Content-Type: application/json",
                "Access-Control-Allow-Origin: https://app.example.com", "Vary: Origin");
    }

    @Test
    void namesAndValuesAreListedInOrder() {
        List<String> seen = new ArrayList<>();
        FixedHeaders headers = FixedHeaders.of("Vary", "Origin", "Access-Control-Max-Age", "600");

        headers.forEach((name, value) -> seen.add(name + "=" + value));

        assertThat(seen).containsExactly("Vary=Origin", "Access-Control-Max-Age=600");
        assertThat(headers).hasToString("FixedHeaders[Vary: Origin, Access-Control-Max-Age: 600]");
    }

    @Test
    void badInputIsRefusedWhenBuiltNotWhenSent() {
        assertThatThrownBy(() -> FixedHeaders.of("Vary"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in pairs, got 1 strings");
        assertThatThrownBy(FixedHeaders::of)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in pairs, got 0 strings");
        assertThatThrownBy(() -> FixedHeaders.of("Bad Name", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("FixedHeaders: header Bad Name:");
        assertThatThrownBy(() -> FixedHeaders.of("X-Split", "a\r\nSet-Cookie: b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("FixedHeaders: header X-Split:");
        assertThatThrownBy(() -> FixedHeaders.of("Vary", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("value of Vary");
    }
}
