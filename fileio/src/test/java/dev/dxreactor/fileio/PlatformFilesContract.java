package dev.dxreactor.fileio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;

import static dev.dxreactor.fileio.TestFiles.bytes;
import static dev.dxreactor.fileio.TestFiles.toBytes;
import static dev.dxreactor.fileio.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The behaviour every backend must show; one subclass per backend. */
abstract class PlatformFilesContract {

    static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    @TempDir
    Path dir;
    PlatformFiles files;

    abstract PlatformFiles open(FileIoConfig config);

    abstract String expectedBackend();

    /** Whether the backend names errors as Win32 does (the IOCP backend) rather than by errno. */
    boolean win32Errors() {
        return false;
    }

    /** The error name this backend gives: {@code posix} by errno, or {@code win32} as Windows names it. */
    String name(String posix, String win32) {
        return win32Errors() ? win32 : posix;
    }

    /** The handlers of this backend's event loops, for the tests on a group of two; {@code null} when it has none. */
    IoHandlerFactory loopHandlers() {
        return null;
    }

    @BeforeEach
    void start() {
        files = open(FileIoConfig.defaults());
    }

    @AfterEach
    void stop() {
        files.close();
        assertThat(files.openFiles()).isZero();
    }

    @Test
    void reportsItsBackend() {
        assertThat(files.backendName()).isEqualTo(expectedBackend());
    }

    @Test
    void readAllReturnsTheFileByteForByte() throws Exception {
        for (int size : new int[] {0, 1, 4095, 4096, 4097, 65_536, 1_000_003}) {
            byte[] data = bytes(size, size);
            Path file = write(dir.resolve("f" + size), data);
            ByteBuf buf = files.readAll(file, ALLOC).join();
            try {
                assertThat(toBytes(buf)).as("size %d", size).isEqualTo(Files.readAllBytes(file));
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void emptyFileReadsAsAnEmptyBuffer() {
        Path file = write(dir.resolve("empty"), new byte[0]);
        ByteBuf buf = files.readAll(file, ALLOC).join();
        try {
            assertThat(buf.readableBytes()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void largeFileLargerThanOneBufferReadsWhole() {
        byte[] data = bytes(9 * 1024 * 1024 + 17, 9);
        Path file = write(dir.resolve("large"), data);
        ByteBuf buf = files.readAll(file, ALLOC).join();
        try {
            assertThat(toBytes(buf)).isEqualTo(data);
        } finally {
            buf.release();
        }
    }

    @Test
    void resultsComeFromTheCallersAllocator() {
        Path file = write(dir.resolve("a"), bytes(100, 1));
        ByteBuf buf = files.readAll(file, UnpooledByteBufAllocator.DEFAULT).join();
        try {
            assertThat(buf.alloc()).isSameAs(UnpooledByteBufAllocator.DEFAULT);
            assertThat(toBytes(buf)).isEqualTo(bytes(100, 1));
        } finally {
            buf.release();
        }
    }

    @Test
    void rangedReadStopsAtTheEndOfTheFile() {
        byte[] data = bytes(10_000, 3);
        Path file = write(dir.resolve("r"), data);
        ByteBuf middle = files.read(file, 4000, 3000, ALLOC).join();
        ByteBuf tail = files.read(file, 9000, 5000, ALLOC).join();
        ByteBuf beyond = files.read(file, 20_000, 10, ALLOC).join();
        try {
            assertThat(toBytes(middle)).isEqualTo(java.util.Arrays.copyOfRange(data, 4000, 7000));
            assertThat(toBytes(tail)).isEqualTo(java.util.Arrays.copyOfRange(data, 9000, 10_000));
            assertThat(beyond.readableBytes()).isZero();
        } finally {
            middle.release();
            tail.release();
            beyond.release();
        }
    }

    @Test
    void rangedWriteKeepsTheRestOfTheFile() throws Exception {
        Path file = write(dir.resolve("w"), bytes(1000, 4));
        ByteBuf patch = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5});
        try {
            assertThat(files.write(file, 10, patch).join()).isEqualTo(5L);
            assertThat(patch.readerIndex()).isZero();
        } finally {
            patch.release();
        }
        byte[] expected = bytes(1000, 4);
        System.arraycopy(new byte[] {1, 2, 3, 4, 5}, 0, expected, 10, 5);
        assertThat(Files.readAllBytes(file)).isEqualTo(expected);
    }

    @Test
    void writeAllReplacesAndCreates() throws Exception {
        Path existing = write(dir.resolve("x"), bytes(5000, 5));
        Path fresh = dir.resolve("new");
        ByteBuf heap = Unpooled.wrappedBuffer(bytes(300, 6));
        ByteBuf direct = Unpooled.directBuffer(70_000).writeBytes(bytes(70_000, 7));
        try {
            assertThat(files.writeAll(existing, heap, true).join()).isEqualTo(300L);
            assertThat(files.writeAll(fresh, direct, false).join()).isEqualTo(70_000L);
        } finally {
            heap.release();
            direct.release();
        }
        assertThat(Files.readAllBytes(existing)).isEqualTo(bytes(300, 6));
        assertThat(Files.readAllBytes(fresh)).isEqualTo(bytes(70_000, 7));
    }

    @Test
    void batchFailsOnlyTheBadEntriesWithPathAndErrno() throws Exception {
        Path good = write(dir.resolve("good"), bytes(2048, 8));
        Path missing = dir.resolve("missing");
        Path directory = Files.createDirectory(dir.resolve("sub"));
        Path notDir = dir.resolve("good").resolve("child");
        Path good2 = write(dir.resolve("good2"), new byte[0]);
        try (BatchRead batch = files.batchRead(List.of(good, missing, directory, notDir, good2), ALLOC).join()) {
            assertThat(batch.size()).isEqualTo(5);
            assertThat(toBytes(batch.get(0).content())).isEqualTo(bytes(2048, 8));
            assertError(batch.get(1), missing, name("ENOENT", "ERROR_FILE_NOT_FOUND"));
            // Windows opens no directory without FILE_FLAG_BACKUP_SEMANTICS, and a file is no directory on the way.
            assertError(batch.get(2), directory, name("EISDIR", "ERROR_ACCESS_DENIED"));
            assertError(batch.get(3), notDir, name("ENOTDIR", "ERROR_PATH_NOT_FOUND"));
            assertThat(batch.get(4).content().readableBytes()).isZero();
            assertThat(batch.failures()).isEqualTo(3);
        }
    }

    @Test
    void permissionDeniedFailsOnlyItsEntry() throws Exception {
        Path denied;
        if (TestFiles.isRoot()) {
            // Root passes every permission bit on ordinary files; write-only sysctls refuse reads even to root.
            denied = Path.of("/proc/sys/vm/drop_caches");
            assumeTrue(Files.exists(denied), "needs Linux /proc/sys");
        } else {
            denied = write(dir.resolve("secret"), bytes(10, 10));
            Files.setPosixFilePermissions(denied, PosixFilePermissions.fromString("---------"));
        }
        Path good = write(dir.resolve("ok"), bytes(10, 11));
        try (BatchRead batch = files.batchRead(List.of(denied, good), ALLOC).join()) {
            assertError(batch.get(0), denied, name("EACCES", "ERROR_ACCESS_DENIED"));
            assertThat(toBytes(batch.get(1).content())).isEqualTo(bytes(10, 11));
        }
    }

    @Test
    void singleReadFailsWithFileIoException() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> files.readAll(missing, ALLOC).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(FileIoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(name("ENOENT", "ERROR_FILE_NOT_FOUND"));
                    assertThat(e.path()).isEqualTo(missing);
                    assertThat(e.getMessage()).contains(missing.toString());
                });
    }

    @Test
    void readAboveTheLimitFailsBeforeAllocating() {
        PlatformFiles small = open(FileIoConfig.builder().maxReadBytes(1000).build());
        try {
            Path file = write(dir.resolve("big"), bytes(1001, 12));
            Path fits = write(dir.resolve("fits"), bytes(1000, 13));
            try (BatchRead batch = small.batchRead(List.of(file, fits), ALLOC).join()) {
                assertError(batch.get(0), file, name("EFBIG", "ERROR_FILE_TOO_LARGE"));
                assertThat(batch.get(1).isSuccess()).isTrue();
            }
        } finally {
            small.close();
        }
    }

    @Test
    void batchWriteReportsEachEntry() throws Exception {
        Path a = dir.resolve("a");
        Path intoDirectory = Files.createDirectory(dir.resolve("d"));
        Path missingParent = dir.resolve("no/such/dir/f");
        List<ByteBuf> data = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            data.add(Unpooled.wrappedBuffer(bytes(100 + i, i)));
        }
        try {
            List<WriteResult> results = files.batchWrite(List.of(new WriteOp(a, data.get(0), true),
                    WriteOp.of(intoDirectory, data.get(1)), WriteOp.of(missingParent, data.get(2)))).join();
            assertThat(results.get(0).isSuccess()).isTrue();
            assertThat(results.get(0).bytes()).isEqualTo(100);
            assertThat(results.get(1).error().errno()).isEqualTo(name("EISDIR", "ERROR_ACCESS_DENIED"));
            assertThat(results.get(2).error().errno()).isEqualTo(name("ENOENT", "ERROR_PATH_NOT_FOUND"));
            assertThat(results.get(2).error().path()).isEqualTo(missingParent);
        } finally {
            data.forEach(ByteBuf::release);
        }
        assertThat(Files.readAllBytes(a)).isEqualTo(bytes(100, 0));
    }

    @Test
    void manyFilesInOneBatchUnderASmallHandleLimit() {
        PlatformFiles limited = open(FileIoConfig.builder().maxOpenFiles(3).build());
        try {
            List<Path> paths = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                paths.add(write(dir.resolve("m/" + i), bytes(i * 10, i)));
            }
            try (BatchRead batch = limited.batchRead(paths, ALLOC).join()) {
                for (int i = 0; i < paths.size(); i++) {
                    assertThat(toBytes(batch.get(i).content())).isEqualTo(bytes(i * 10, i));
                }
            }
            assertThat(limited.peakOpenFiles()).isBetween(1, 3);
        } finally {
            limited.close();
        }
    }

    @Test
    void closeRejectsLaterWorkWithEcanceled() {
        Path file = write(dir.resolve("c"), bytes(10, 1));
        files.close();
        assertThatThrownBy(() -> files.readAll(file, ALLOC).join())
                .cause().isInstanceOfSatisfying(FileIoException.class,
                        e -> assertThat(e.errno()).isEqualTo(name("ECANCELED", "ERROR_OPERATION_ABORTED")));
    }

    @Test
    void closeWithWorkInFlightFinishesOrCancelsEveryEntryAndClosesEveryFile() {
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            paths.add(write(dir.resolve("inflight/" + i), bytes(20_000 + i, i)));
        }
        PlatformFiles closing = open(FileIoConfig.builder().maxOpenFiles(16).build());
        java.util.concurrent.CompletableFuture<BatchRead> batch = closing.batchRead(paths, ALLOC);
        closing.closeAsync().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
        try (BatchRead result = batch.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join()) {
            for (int i = 0; i < paths.size(); i++) {
                ReadResult entry = result.get(i);
                if (entry.isSuccess()) {
                    assertThat(toBytes(entry.content())).isEqualTo(bytes(20_000 + i, i));
                } else {
                    assertThat(entry.error().errno()).isEqualTo(name("ECANCELED", "ERROR_OPERATION_ABORTED"));
                }
            }
        }
        assertThat(closing.openFiles()).isZero();
    }

    private static void assertError(ReadResult entry, Path path, String errno) {
        assertThat(entry.isSuccess()).as("entry %s", path).isFalse();
        assertThat(entry.error().errno()).as("errno of %s", path).isEqualTo(errno);
        assertThat(entry.error().path()).isEqualTo(path);
        assertThat(entry.error().getMessage()).contains(errno).contains(path.toString());
        assertThat(entry.path()).isEqualTo(path);
    }

    /** A batch on two loops finishes on the other one while one loop is held by a long task. */
    @Test
    void aBatchIsNotHeldUpByALoopThatIsBusy() throws Exception {
        assumeTrue(loopHandlers() != null, "runs on no event loops");
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, loopHandlers());
        PlatformFiles onGroup = open(FileIoConfig.builder().eventLoopGroup(group).build());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        try {
            List<Path> paths = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                paths.add(TestFiles.write(dir.resolve("b/" + i), TestFiles.bytes(5_000 + i, i)));
            }
            group.iterator().next().execute(() -> {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            held.await();
            try (BatchRead result = onGroup.batchRead(paths, ALLOC).orTimeout(60, TimeUnit.SECONDS).join()) {
                for (int i = 0; i < paths.size(); i++) {
                    assertThat(TestFiles.toBytes(result.get(i).content())).isEqualTo(TestFiles.bytes(5_000 + i, i));
                }
            }
            assertThat(release.getCount()).as("the held loop was still held").isOne();
        } finally {
            release.countDown();
            onGroup.closeAsync().orTimeout(60, TimeUnit.SECONDS).join();
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
        assertThat(onGroup.openFiles()).isZero();
    }

    /** Both loops of a shared batch go away under it: every entry still completes exactly once. */
    @Test
    void aSharedBatchCompletesEveryEntryWhenItsLoopsShutDown() {
        assumeTrue(loopHandlers() != null, "runs on no event loops");
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, loopHandlers());
        PlatformFiles onGroup = open(FileIoConfig.builder().eventLoopGroup(group).build());
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            paths.add(TestFiles.write(dir.resolve("d/" + i), TestFiles.bytes(30_000, i)));
        }
        CompletableFuture<BatchRead> batch = onGroup.batchRead(paths, ALLOC);
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        try (BatchRead result = batch.orTimeout(60, TimeUnit.SECONDS).join()) {
            assertThat(result.size()).isEqualTo(paths.size());
            for (int i = 0; i < paths.size(); i++) {
                ReadResult entry = result.get(i);
                if (entry.isSuccess()) {
                    assertThat(TestFiles.toBytes(entry.content())).isEqualTo(TestFiles.bytes(30_000, i));
                } else {
                    assertThat(entry.error().errno()).isEqualTo(name("ECANCELED", "ERROR_OPERATION_ABORTED"));
                }
            }
        }
        onGroup.closeAsync().orTimeout(60, TimeUnit.SECONDS).join();
        assertThat(onGroup.openFiles()).isZero();
    }
}
