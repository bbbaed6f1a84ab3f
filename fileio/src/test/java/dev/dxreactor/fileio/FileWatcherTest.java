package dev.dxreactor.fileio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FileWatcherTest {

    /** Generous: these tests wait for events, they never assert how fast they come. */
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path root;
    private final List<FileEvent> events = new CopyOnWriteArrayList<>();

    @Test
    void reportsCreatedModifiedRenamedDeleted() throws Exception {
        Path sub = Files.createDirectories(root.resolve("a/b"));
        try (FileWatcher watcher = FileWatcher.watch(root, Duration.ofMillis(100), events::add)) {
            Path file = sub.resolve("f.txt");
            Files.writeString(file, "one");
            awaitEvent(e -> e.kind() == FileEvent.Kind.CREATED && e.path().equals(file));

            Files.writeString(file, "two, longer");
            awaitEvent(e -> e.kind() == FileEvent.Kind.MODIFIED && e.path().equals(file));

            Path moved = sub.resolve("g.txt");
            Files.move(file, moved);
            awaitEvent(e -> e.kind() == FileEvent.Kind.RENAMED && e.path().equals(moved)
                    && e.previousPath().equals(file));

            Files.delete(moved);
            awaitEvent(e -> e.kind() == FileEvent.Kind.DELETED && e.path().equals(moved));
            assertThat(watcher.root()).isEqualTo(root.toAbsolutePath().normalize());
        }
    }

    @Test
    void aBurstOfChangesToOnePathIsOneEvent() throws Exception {
        Path file = Files.writeString(root.resolve("burst"), "0");
        Path marker = root.resolve("marker");
        try (FileWatcher watcher = FileWatcher.watch(root, Duration.ofMillis(500), events::add)) {
            assertThat(watcher.watchedPaths()).as("the root and the file").isEqualTo(2);
            for (int i = 1; i <= 20; i++) {
                Files.writeString(file, "change " + i);
            }
            awaitEvent(e -> e.path().equals(file));
            // A later, separate change proves the watcher kept running; by then the burst had its one event.
            Files.writeString(marker, "m");
            awaitEvent(e -> e.path().equals(marker));
            assertThat(events.stream().filter(e -> e.path().equals(file)))
                    .containsExactly(new FileEvent(FileEvent.Kind.MODIFIED, file, null, false));
        }
    }

    @Test
    void watchesTenThousandFilesAndReleasesEveryHandleOnClose() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "counts inotify descriptors in /proc (Linux)");
        for (int d = 0; d < 100; d++) {
            Path dir = Files.createDirectories(root.resolve("d" + d));
            for (int f = 0; f < 100; f++) {
                Files.write(dir.resolve("f" + f), new byte[] {(byte) f});
            }
        }
        long before = inotifyDescriptors();
        FileWatcher watcher = FileWatcher.watch(root, Duration.ofMillis(50), events::add);
        try {
            assertThat(watcher.watchedPaths()).isGreaterThanOrEqualTo(10_000 + 100);
            assertThat(inotifyDescriptors()).isGreaterThan(before);
            Path deep = root.resolve("d99/f99");
            Files.write(deep, new byte[] {1, 2, 3});
            awaitEvent(e -> e.kind() == FileEvent.Kind.MODIFIED && e.path().equals(deep));
            Path added = root.resolve("d0/new");
            Files.write(added, new byte[] {4});
            awaitEvent(e -> e.kind() == FileEvent.Kind.CREATED && e.path().equals(added));
        } finally {
            watcher.close();
        }
        assertThat(inotifyDescriptors()).isEqualTo(before);
    }

    private void awaitEvent(Predicate<FileEvent> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (events.stream().noneMatch(wanted)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no matching event; got " + events);
            }
            Thread.sleep(10);
        }
    }

    private static long inotifyDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().contains("inotify");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }
}
