package dev.dxreactor.teleport;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Text for the string tests: every UTF-8 length of code point, supplementary ones as well-formed pairs. */
final class Texts {

    private Texts() {
    }

    /** Up to {@code maxCodePoints} of ASCII, Latin-1, other BMP text and supplementary characters, mixed. */
    static Arbitrary<String> wellFormed(int maxCodePoints) {
        Arbitrary<String> codePoint = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0x7F),
                Arbitraries.integers().between(0x80, 0x7FF),
                Arbitraries.integers().between(0x800, 0xD7FF),
                Arbitraries.integers().between(0xE000, 0xFFFF),
                Arbitraries.integers().between(0x10000, 0x10FFFF)).map(Character::toString);
        return codePoint.list().ofMaxSize(maxCodePoints).map(list -> String.join("", list));
    }
}
