package dev.dxreactor.fileio;

import dev.dxreactor.fileio.internal.Debouncer;
import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeListener;
import io.methvin.watcher.DirectoryWatcher;
import io.methvin.watcher.hashing.FileHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches a directory tree through the operating system's own notifications (inotify on Linux, FSEvents on macOS,
 * ReadDirectoryChangesW on Windows, through {@code io.methvin:directory-watcher}) and reports one debounced
 * {@link FileEvent} per path: N changes to a path inside the window give one event, delivered once the path has
 * been quiet for the window.
 *
 * <pre>{@code
 * try (FileWatcher watcher = FileWatcher.watch(root, Duration.ofMillis(50), event -> reload(event))) {
 *     ...
 * }
 * }</pre>
 *
 * <p>The listener runs on one watcher thread, never concurrently with itself. {@link #close()} releases every
 * operating-system handle the watcher holds.
 */
public final class FileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);

    private final Path root;
    private final DirectoryWatcher watcher;
    private final Debouncer debouncer;
    private final Consumer<FileEvent> listener;
    private final ExecutorService eventThread;
    private final ScheduledExecutorService flushThread;
    private final CompletableFuture<Void> watching;
    /** The last identity of every file; the library's delete notifications carry none, renames need it. */
    private final Map<Path, FileHash> identities = new ConcurrentHashMap<>();

    private FileWatcher(Path root, Duration debounce, Consumer<FileEvent> listener) throws IOException {
        this.root = root;
        this.listener = listener;
        this.debouncer = new Debouncer(debounce.toNanos());
        this.eventThread = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                .name("dx-fileio-watch-" + root.getFileName()).factory());
        this.flushThread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("dx-fileio-debounce-" + root.getFileName()).factory());
        try {
            this.watcher = DirectoryWatcher.builder()
                    .path(root)
                    .fileHasher(FileWatcher::identity)
                    .listener(new Forwarder())
                    .logger(LOG)
                    .build();
            // Registers the whole tree before returning, so changes made after watch() are seen.
            this.watching = watcher.watchAsync(eventThread);
            watcher.pathHashes().forEach(identities::putIfAbsent);
        } catch (IOException | RuntimeException e) {
            eventThread.shutdownNow();
            flushThread.shutdownNow();
            throw e;
        }
        long tick = Math.max(1, debounce.toNanos() / 2);
        flushThread.scheduleWithFixedDelay(this::flush, tick, tick, TimeUnit.NANOSECONDS);
    }

    /**
     * Starts watching {@code root} and everything below it.
     *
     * @param debounce how long a path must stay quiet before its event is delivered
     * @param listener receives the events, on the watcher's thread
     */
    public static FileWatcher watch(Path root, Duration debounce, Consumer<FileEvent> listener) throws IOException {
        Objects.requireNonNull(listener, "listener");
        if (debounce.isNegative() || debounce.isZero()) {
            throw new IllegalArgumentException("debounce must be > 0: " + debounce);
        }
        Path absolute = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new IOException("not a directory: " + absolute);
        }
        return new FileWatcher(absolute, debounce, listener);
    }

    public Path root() {
        return root;
    }

    /** Files and directories currently known under the root. */
    public int watchedPaths() {
        return watcher.pathHashes().size();
    }

    /** Stops watching and releases the operating system's handles; pending events are dropped. */
    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.warn("dx-fileio: closing the watcher of {} failed", root, e);
        }
        watching.exceptionally(e -> null).join();
        eventThread.shutdown();
        flushThread.shutdownNow();
        try {
            flushThread.awaitTermination(5, TimeUnit.SECONDS);
            eventThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Identity, size and time stamp: a rename keeps all three, a modification changes the time stamp. */
    private static FileHash identity(Path path) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String id = a.fileKey() + "/" + a.size() + "/" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        return FileHash.fromBytes(id.getBytes(StandardCharsets.UTF_8));
    }

    private void flush() {
        List<FileEvent> events;
        synchronized (debouncer) {
            if (debouncer.isEmpty()) {
                return;
            }
            events = debouncer.flush(System.nanoTime());
        }
        for (FileEvent event : events) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("dx-fileio: the watch listener failed on {}", event, e);
            }
        }
    }

    private final class Forwarder implements DirectoryChangeListener {
        @Override
        public void onEvent(DirectoryChangeEvent event) {
            Debouncer.Raw raw = switch (event.eventType()) {
                case CREATE -> Debouncer.Raw.CREATE;
                case MODIFY -> Debouncer.Raw.MODIFY;
                case DELETE -> Debouncer.Raw.DELETE;
                case OVERFLOW -> null;
            };
            if (raw == null) {
                try {
                    flushThread.execute(() -> listener.accept(
                            new FileEvent(FileEvent.Kind.OVERFLOW, root, null, true)));
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    LOG.debug("dx-fileio: overflow of {} after close", root);
                }
                return;
            }
            FileHash hash = raw == Debouncer.Raw.DELETE ? identities.remove(event.path()) : event.hash();
            if (raw != Debouncer.Raw.DELETE && hash != null) {
                identities.put(event.path(), hash);
            }
            byte[] identity = hash == null || hash == FileHash.DIRECTORY ? null : hash.asBytes();
            synchronized (debouncer) {
                debouncer.add(raw, event.path(), identity, event.isDirectory(), System.nanoTime());
            }
        }

        @Override
        public void onException(Exception e) {
            LOG.warn("dx-fileio: watching {} failed", root, e);
        }
    }
}
