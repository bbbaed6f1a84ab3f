package dev.dxreactor.benchmarks.fileio;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;

/**
 * Drops the benchmark's own files from the Linux page cache, and counts what of them is still cached. Unlike
 * {@code /proc/sys/vm/drop_caches} this touches no other file on the machine, so a cold-cache run is fair to
 * whoever else uses it: {@code fdatasync} then {@code posix_fadvise(POSIX_FADV_DONTNEED)} per file, checked with
 * {@code mincore} on a mapping of the file.
 */
final class PageCache {

    private static final int O_RDONLY = 0;
    private static final int POSIX_FADV_DONTNEED = 4;
    private static final int PROT_READ = 1;
    private static final int MAP_SHARED = 1;
    private static final long PAGE = 4096;

    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle FDATASYNC;
    private static final MethodHandle FADVISE;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle MINCORE;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        ValueLayout.OfLong l = ValueLayout.JAVA_LONG;
        OPEN = linker.downcallHandle(libc.find("open").orElseThrow(),
                FunctionDescriptor.of(i, ValueLayout.ADDRESS, i));
        CLOSE = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(i, i));
        FDATASYNC = linker.downcallHandle(libc.find("fdatasync").orElseThrow(), FunctionDescriptor.of(i, i));
        FADVISE = linker.downcallHandle(libc.find("posix_fadvise").orElseThrow(),
                FunctionDescriptor.of(i, i, l, l, i));
        MMAP = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, l, i, i, i, l));
        MUNMAP = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                FunctionDescriptor.of(i, ValueLayout.ADDRESS, l));
        MINCORE = linker.downcallHandle(libc.find("mincore").orElseThrow(),
                FunctionDescriptor.of(i, ValueLayout.ADDRESS, l, ValueLayout.ADDRESS));
    }

    private PageCache() {
    }

    /** Writes back and drops the cached pages of every file. */
    static void evict(List<Path> paths) {
        try (Arena arena = Arena.ofConfined()) {
            for (Path path : paths) {
                int fd = open(arena, path);
                try {
                    if ((int) FDATASYNC.invokeExact(fd) != 0) {
                        throw new IllegalStateException("fdatasync failed on " + path);
                    }
                    int error = (int) FADVISE.invokeExact(fd, 0L, 0L, POSIX_FADV_DONTNEED);
                    if (error != 0) {
                        throw new IllegalStateException("posix_fadvise failed on " + path + ": errno " + error);
                    }
                } finally {
                    close(fd);
                }
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pages of the files that are in the page cache now. */
    static long residentPages(List<Path> paths, long fileSize) {
        long pages = (fileSize + PAGE - 1) / PAGE;
        long resident = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vector = arena.allocate(pages);
            for (Path path : paths) {
                int fd = open(arena, path);
                try {
                    MemorySegment map = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, fileSize, PROT_READ,
                            MAP_SHARED, fd, 0L);
                    if (map.address() == -1L) {
                        throw new IllegalStateException("mmap failed on " + path);
                    }
                    try {
                        if ((int) MINCORE.invokeExact(map, fileSize, vector) != 0) {
                            throw new IllegalStateException("mincore failed on " + path);
                        }
                        for (long p = 0; p < pages; p++) {
                            resident += vector.get(ValueLayout.JAVA_BYTE, p) & 1;
                        }
                    } finally {
                        int unmapped = (int) MUNMAP.invokeExact(map, fileSize);
                    }
                } finally {
                    close(fd);
                }
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        return resident;
    }

    private static int open(Arena arena, Path path) throws Throwable {
        int fd = (int) OPEN.invokeExact(arena.allocateFrom(path.toString()), O_RDONLY);
        if (fd < 0) {
            throw new IllegalStateException("cannot open " + path);
        }
        return fd;
    }

    private static void close(int fd) throws Throwable {
        int closed = (int) CLOSE.invokeExact(fd);
    }
}
