package dev.dxreactor.examples.devserver;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The files read so far, bounded by their total size. Kept as byte arrays, not as the buffers they were read
 * into: an answer wraps the array (no copy), and an entry evicted while an answer still uses it is simply
 * collected, with no reference count to get wrong. A change the watcher reports drops the file; a read that began
 * before a change does not put what it read back afterwards (a generation counter, taken before the read and
 * checked after, tells).
 */
final class FileCache {

    private final Cache<Path, byte[]> files;
    private final AtomicLong generation = new AtomicLong();

    FileCache(long maxBytes) {
        files = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .<Path, byte[]>weigher((path, content) -> Math.max(1, content.length))
                .build();
    }

    /** The cached content of {@code file}, or {@code null}; never to be changed. */
    byte[] get(Path file) {
        return files.getIfPresent(file);
    }

    /** The generation to hand to {@link #put} for a read that starts now. */
    long generation() {
        return generation.get();
    }

    /** Keeps {@code content} for {@code file}, unless something changed since {@code readAt}. */
    void put(Path file, byte[] content, long readAt) {
        if (generation.get() != readAt) {
            return;
        }
        files.put(file, content);
        if (generation.get() != readAt) {
            files.invalidate(file);
        }
    }

    /** Forgets {@code file}, or everything (a directory changed, or the OS dropped events). */
    void changed(Path file, boolean everything) {
        generation.incrementAndGet();
        if (everything) {
            files.invalidateAll();
        } else {
            files.invalidate(file);
        }
    }
}
