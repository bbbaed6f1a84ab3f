package dev.dxreactor.fileio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.dxreactor.fileio.TestFiles.bytes;
import static dev.dxreactor.fileio.TestFiles.toBytes;
import static org.assertj.core.api.Assertions.assertThat;

/** Properties every backend must hold, over random trees of files; one subclass per backend. */
abstract class PlatformFilesPropertyContract {

    private static final int MIB = 1024 * 1024;

    private Path dir;

    abstract PlatformFiles open(FileIoConfig config);

    /** The error a directory read as a file gives on this backend. */
    String directoryError() {
        return "EISDIR";
    }

    @BeforeProperty
    void createDir() throws Exception {
        dir = Files.createTempDirectory("dx-fileio-prop");
    }

    @AfterProperty
    void removeDir() {
        TestFiles.deleteTree(dir);
    }

    /** A tree: relative path to size, sizes 0 B to 4 MiB but mostly small so that a hundred tries stay quick. */
    @Provide
    Arbitrary<Map<String, Integer>> trees() {
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'f').ofMinLength(1).ofMaxLength(3);
        Arbitrary<String> relative = name.list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join("/", parts));
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                Tuple.of(70, Arbitraries.integers().between(0, 4096)),
                Tuple.of(25, Arbitraries.integers().between(4097, 256 * 1024)),
                Tuple.of(5, Arbitraries.integers().between(256 * 1024 + 1, 4 * MIB)));
        return Combinators.combine(relative.list().ofMinSize(1).ofMaxSize(12), size.list().ofSize(12))
                .as((paths, sizes) -> {
                    Map<String, Integer> tree = new LinkedHashMap<>();
                    for (int i = 0; i < paths.size(); i++) {
                        tree.putIfAbsent(paths.get(i), sizes.get(i));
                    }
                    return tree;
                });
    }

    @Property(tries = 100)
    void batchReadIsByteIdenticalToTheJdk(@ForAll("trees") Map<String, Integer> tree,
                                          @ForAll @IntRange(min = 1, max = 64) int maxOpen) throws Exception {
        List<Path> paths = materialise(tree);
        try (PlatformFiles files = open(FileIoConfig.builder().maxOpenFiles(maxOpen).build());
             BatchRead batch = files.batchRead(paths, PooledByteBufAllocator.DEFAULT).join()) {
            for (int i = 0; i < paths.size(); i++) {
                Path path = paths.get(i);
                if (Files.isRegularFile(path)) {
                    assertThat(toBytes(batch.get(i).content())).as(path.toString())
                            .isEqualTo(Files.readAllBytes(path));
                } else {
                    assertThat(batch.get(i).error().errno()).isEqualTo(directoryError());
                    assertThat(batch.get(i).error().path()).isEqualTo(path);
                }
            }
            assertThat(files.peakOpenFiles()).isLessThanOrEqualTo(maxOpen);
        }
    }

    @Property(tries = 100)
    void batchWriteThenReadRoundTrips(@ForAll("trees") Map<String, Integer> tree) throws Exception {
        List<WriteOp> ops = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Integer> e : tree.entrySet()) {
            Path target = dir.resolve("out").resolve("f" + i);
            byte[] data = bytes(e.getValue(), i);
            expected.add(data);
            ops.add(new WriteOp(target, Unpooled.wrappedBuffer(data), i % 4 == 0));
            i++;
        }
        Files.createDirectories(dir.resolve("out"));
        try (PlatformFiles files = open(FileIoConfig.defaults())) {
            List<WriteResult> results = files.batchWrite(ops).join();
            for (int k = 0; k < ops.size(); k++) {
                assertThat(results.get(k).isSuccess()).as("%s", results.get(k)).isTrue();
                assertThat(Files.readAllBytes(ops.get(k).path())).isEqualTo(expected.get(k));
            }
        } finally {
            ops.forEach(op -> op.data().release());
        }
    }

    /**
     * Many single reads and batches at once under a small handle limit: the backend's own count of open files
     * never goes above the limit, and every queued request completes successfully.
     */
    @Property(tries = 100)
    void handleLimitIsNeverExceededAndQueuedRequestsComplete(
            @ForAll @IntRange(min = 1, max = 8) int maxOpen,
            @ForAll @IntRange(min = 1, max = 120) int singles,
            @ForAll @IntRange(min = 0, max = 4) int batches) throws Exception {
        List<Path> paths = new ArrayList<>();
        for (int k = 0; k < 24; k++) {
            paths.add(TestFiles.write(dir.resolve("l" + k), bytes(k * 37, k)));
        }
        try (PlatformFiles files = open(FileIoConfig.builder().maxOpenFiles(maxOpen).build())) {
            List<CompletableFuture<ByteBuf>> reads = new ArrayList<>();
            List<CompletableFuture<BatchRead>> batchReads = new ArrayList<>();
            for (int k = 0; k < singles; k++) {
                reads.add(files.readAll(paths.get(k % paths.size()), PooledByteBufAllocator.DEFAULT));
                if (k % 30 == 0 && batchReads.size() < batches) {
                    batchReads.add(files.batchRead(paths, PooledByteBufAllocator.DEFAULT));
                }
            }
            for (int k = 0; k < reads.size(); k++) {
                ByteBuf buf = reads.get(k).join();
                try {
                    assertThat(toBytes(buf)).isEqualTo(bytes((k % paths.size()) * 37, k % paths.size()));
                } finally {
                    buf.release();
                }
            }
            for (CompletableFuture<BatchRead> f : batchReads) {
                try (BatchRead batch = f.join()) {
                    assertThat(batch.failures()).isZero();
                }
            }
            assertThat(files.peakOpenFiles()).isBetween(1, maxOpen);
            assertThat(files.openFiles()).isZero();
        }
    }

    private List<Path> materialise(Map<String, Integer> tree) {
        List<Path> paths = new ArrayList<>();
        int seed = 0;
        for (Map.Entry<String, Integer> e : tree.entrySet()) {
            Path path = dir.resolve(e.getKey());
            // A path that is already a directory (a prefix of another entry) stays one: it must fail with EISDIR.
            if (!Files.isDirectory(path) && !hasFileAncestor(path)) {
                TestFiles.write(path, bytes(e.getValue(), seed++));
                paths.add(path);
            } else if (Files.isDirectory(path)) {
                paths.add(path);
            }
        }
        return paths;
    }

    private boolean hasFileAncestor(Path path) {
        for (Path p = path.getParent(); p != null && !p.equals(dir); p = p.getParent()) {
            if (Files.isRegularFile(p)) {
                return true;
            }
        }
        return false;
    }
}
