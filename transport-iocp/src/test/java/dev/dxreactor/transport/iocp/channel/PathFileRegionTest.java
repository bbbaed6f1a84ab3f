package dev.dxreactor.transport.iocp.channel;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A {@link PathFileRegion} is checked when it is made, as a {@code DefaultFileRegion} is, and opens nothing. */
class PathFileRegionTest {

    @Test
    void aRegionWithoutAPathOrWithANegativePositionOrCountIsRefusedAtOnce() {
        assertThatThrownBy(() -> new PathFileRegion(null, 0, 1)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("path");
        assertThatThrownBy(() -> new PathFileRegion(Path.of("f"), -1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("position");
        assertThatThrownBy(() -> new PathFileRegion(Path.of("f"), 0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count");
    }

    @Test
    void aRegionOfAFileThatIsNotThereIsMadeAndReleasedWithoutOpeningIt() {
        PathFileRegion region = new PathFileRegion(Path.of("not-there"), 5, 10);

        assertThat(region.path()).isEqualTo(Path.of("not-there"));
        assertThat(region.position()).isEqualTo(5);
        assertThat(region.count()).isEqualTo(10);
        assertThat(region.isOpen()).isFalse();
        assertThat(region.release()).isTrue();
    }
}
