package dev.dxreactor.fileio.internal;

import dev.dxreactor.fileio.FileEvent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static dev.dxreactor.fileio.internal.Debouncer.Raw.CREATE;
import static dev.dxreactor.fileio.internal.Debouncer.Raw.DELETE;
import static dev.dxreactor.fileio.internal.Debouncer.Raw.MODIFY;
import static org.assertj.core.api.Assertions.assertThat;

class DebouncerTest {

    private static final long WINDOW = 100;
    private final Debouncer debouncer = new Debouncer(WINDOW);
    private final Path a = Path.of("/r/a");
    private final Path b = Path.of("/r/b");

    @Test
    void manyModificationsInsideTheWindowGiveOneEvent() {
        for (int t = 0; t < 50; t++) {
            debouncer.add(MODIFY, a, id(t), false, t);
        }
        assertThat(debouncer.flush(49 + WINDOW - 1)).isEmpty();
        assertThat(debouncer.flush(49 + WINDOW))
                .containsExactly(new FileEvent(FileEvent.Kind.MODIFIED, a, null, false));
        assertThat(debouncer.isEmpty()).isTrue();
    }

    @Test
    void aChangeAfterTheWindowIsANewEvent() {
        debouncer.add(MODIFY, a, id(1), false, 0);
        assertThat(debouncer.flush(WINDOW)).hasSize(1);
        debouncer.add(MODIFY, a, id(2), false, WINDOW + 1);
        assertThat(debouncer.flush(2 * WINDOW + 1)).hasSize(1);
    }

    @Test
    void netEffectOfABurst() {
        debouncer.add(CREATE, a, id(1), false, 0);
        debouncer.add(MODIFY, a, id(2), false, 1);
        debouncer.add(MODIFY, b, id(3), false, 0);
        debouncer.add(DELETE, b, id(3), false, 1);
        Path c = Path.of("/r/c");
        debouncer.add(CREATE, c, id(4), false, 0);
        debouncer.add(DELETE, c, id(4), false, 1);
        assertThat(debouncer.flush(1 + WINDOW)).containsExactlyInAnyOrder(
                new FileEvent(FileEvent.Kind.CREATED, a, null, false),
                new FileEvent(FileEvent.Kind.DELETED, b, null, false));
    }

    @Test
    void deleteAndCreateOfTheSameFileIsARename() {
        debouncer.add(DELETE, a, id(7), false, 0);
        debouncer.add(CREATE, b, id(7), false, 0);
        Path other = Path.of("/r/other");
        debouncer.add(CREATE, other, id(8), false, 0);
        assertThat(debouncer.flush(WINDOW)).containsExactlyInAnyOrder(
                new FileEvent(FileEvent.Kind.RENAMED, b, a, false),
                new FileEvent(FileEvent.Kind.CREATED, other, null, false));
    }

    @Test
    void differentFilesAreNotARename() {
        debouncer.add(DELETE, a, id(7), false, 0);
        debouncer.add(CREATE, b, id(9), false, 0);
        assertThat(debouncer.flush(WINDOW)).containsExactlyInAnyOrder(
                new FileEvent(FileEvent.Kind.DELETED, a, null, false),
                new FileEvent(FileEvent.Kind.CREATED, b, null, false));
    }

    private static byte[] id(int n) {
        return new byte[] {(byte) n};
    }
}
