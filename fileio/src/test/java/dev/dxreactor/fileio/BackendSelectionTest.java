package dev.dxreactor.fileio;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendSelectionTest {

    @Test
    void aBackendCanBeForcedByName() {
        try (PlatformFiles files = PlatformFiles.best(FileIoConfig.builder().backend("fallback").build())) {
            assertThat(files.backendName()).isEqualTo("fallback");
        }
    }

    @Test
    void anUnknownBackendNameListsTheKnownOnes() {
        assertThatThrownBy(() -> PlatformFiles.best(FileIoConfig.builder().backend("kqueue").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kqueue").hasMessageContaining("iocp").hasMessageContaining("io_uring").hasMessageContaining("fallback");
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> FileIoConfig.builder().maxOpenFiles(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileIoConfig.builder().maxOpenFiles(FileIoConfig.MAX_OPEN_FILES_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileIoConfig.builder().maxReadBytes(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
