package dev.dxreactor.teleport;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TeleportLayoutTest {

    @Property(tries = 200)
    void everyFieldSitsAtAMultipleOfItsAlignmentInOrderWithoutOverlap(
            @ForAll @Size(min = 1, max = 40) List<@net.jqwik.api.From("sizes") Integer> sizes) {
        TeleportLayout.Builder builder = TeleportLayout.builder();
        for (int i = 0; i < sizes.size(); i++) {
            int size = sizes.get(i);
            builder.add("f" + i, size, Math.min(size, 8));
        }
        TeleportLayout layout = builder.build();
        int end = 0;
        for (TeleportLayout.Field f : layout.fields()) {
            assertThat(f.offset() % f.alignment()).as(f.name()).isZero();
            assertThat(f.offset()).as("declaration order, no overlap").isGreaterThanOrEqualTo(end);
            assertThat(f.offset() - end).as("padding only up to the alignment").isLessThan(f.alignment());
            end = f.offset() + f.size();
        }
        assertThat(layout.blockLength()).isEqualTo(end);
        assertThat(layout.stride() % layout.alignment()).isZero();
        assertThat(layout.stride()).isBetween(end, end + layout.alignment() - 1);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.of(1, 2, 4, 8);
    }

    @Test
    void appendingAFieldKeepsEveryEarlierOffset() {
        TeleportLayout.Builder v1 = TeleportLayout.builder();
        v1.add("flag", 1, 1);
        v1.add("id", 8, 8);
        v1.add("name", TeleportLayout.REFERENCE_SIZE, TeleportLayout.REFERENCE_ALIGNMENT);
        TeleportLayout.Builder v2 = TeleportLayout.builder();
        v2.add("flag", 1, 1);
        v2.add("id", 8, 8);
        v2.add("name", TeleportLayout.REFERENCE_SIZE, TeleportLayout.REFERENCE_ALIGNMENT);
        v2.add("score", 2, 2);
        TeleportLayout before = v1.build();
        TeleportLayout after = v2.build();
        assertThat(after.fields().subList(0, 3)).isEqualTo(before.fields());
        assertThat(after.offset("id")).isEqualTo(8);
        assertThat(after.offset("score")).isEqualTo(before.blockLength());
    }

    @Test
    void enumsTakeTheSmallestUnsignedWidthThatNumbersThem() {
        assertThat(TeleportLayout.enumWidth(1)).isEqualTo(1);
        assertThat(TeleportLayout.enumWidth(256)).isEqualTo(1);
        assertThat(TeleportLayout.enumWidth(257)).isEqualTo(2);
        assertThat(TeleportLayout.enumWidth(65536)).isEqualTo(2);
        assertThat(TeleportLayout.enumWidth(65537)).isEqualTo(4);
    }

    @Test
    void fieldsWithoutASizeOrWithAnOddAlignmentAreRefused() {
        assertThatThrownBy(() -> TeleportLayout.builder().add("x", 0, 1)).hasMessageContaining("size 0");
        assertThatThrownBy(() -> TeleportLayout.builder().add("x", 4, 3)).hasMessageContaining("alignment 3");
        assertThatThrownBy(() -> TeleportLayout.builder().build().offset("x")).hasMessageContaining("no field x");
    }
}
