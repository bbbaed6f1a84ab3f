package dev.dxreactor.fileio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static dev.dxreactor.fileio.TestFiles.bytes;
import static dev.dxreactor.fileio.TestFiles.toBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlobStoreTest {

    @TempDir
    Path dir;
    private PlatformFiles files;
    private ExecutorService executor;
    private BlobStore store;

    @BeforeEach
    void open() throws Exception {
        files = PlatformFiles.best();
        executor = Executors.newVirtualThreadPerTaskExecutor();
        store = BlobStore.open(dir, files, executor);
    }

    @AfterEach
    void close() {
        files.close();
        executor.close();
    }

    @Test
    void keyIsTheSha256OfTheContentAndGetReturnsIt() throws Exception {
        byte[] data = bytes(100_000, 1);
        String key = put(data);
        assertThat(key).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        assertThat(store.contains(key)).isTrue();
        assertThat(get(key)).isEqualTo(data);
        assertThat(store.pathOf(key)).isEqualTo(dir.resolve(key.substring(0, 2)).resolve(key));
    }

    @Test
    void emptyBlob() throws Exception {
        String key = put(new byte[0]);
        assertThat(key).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(get(key)).isEmpty();
    }

    @Test
    void aCorruptedBlobFailsTheReadWithItsKey() throws Exception {
        byte[] data = bytes(5000, 2);
        String key = put(data);
        try (FileChannel ch = FileChannel.open(store.pathOf(key), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {(byte) (data[1234] ^ 1)}), 1234);
        }
        assertThatThrownBy(() -> store.get(key, PooledByteBufAllocator.DEFAULT).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(BlobCorruptedException.class, e -> {
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.actual()).isNotEqualTo(key);
                    assertThat(e.getMessage()).contains(key).contains("corrupted");
                });
        assertThat(put(data)).as("a put of the same content repairs it").isEqualTo(key);
        assertThat(get(key)).isEqualTo(data);
    }

    @Test
    void aTruncatedBlobFailsTheRead() throws Exception {
        String key = put(bytes(5000, 3));
        try (FileChannel ch = FileChannel.open(store.pathOf(key), StandardOpenOption.WRITE)) {
            ch.truncate(4000);
        }
        assertThatThrownBy(() -> store.get(key, PooledByteBufAllocator.DEFAULT).join())
                .cause().isInstanceOf(BlobCorruptedException.class);
    }

    @Test
    void missingBlobAndMalformedKeys() {
        String absent = "ab".repeat(32);
        assertThatThrownBy(() -> store.get(absent, PooledByteBufAllocator.DEFAULT).join())
                .cause().isInstanceOfSatisfying(FileIoException.class,
                        e -> assertThat(e.errno()).isEqualTo("ENOENT"));
        for (String bad : new String[] {"../../etc/passwd", "AB".repeat(32), "ab".repeat(31), "", null}) {
            assertThatThrownBy(() -> store.get(bad, PooledByteBufAllocator.DEFAULT))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void concurrentWritersOfOneKeyLeaveOneWholeCopy() throws Exception {
        byte[] data = bytes(2 * 1024 * 1024, 4);
        int writers = 16;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> keys = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < writers; i++) {
                keys.add(threads.submit(() -> {
                    go.await();
                    return put(data);
                }));
            }
            go.countDown();
            String first = keys.get(0).get();
            for (Future<String> key : keys) {
                assertThat(key.get()).isEqualTo(first);
            }
            assertThat(Files.readAllBytes(store.pathOf(first))).isEqualTo(data);
        }
        try (Stream<Path> leftovers = Files.list(dir.resolve("tmp"))) {
            assertThat(leftovers).isEmpty();
        }
    }

    @Test
    void concurrentReadersSeeIdenticalBytesWhileWritersReplaceTheBlob() throws Exception {
        byte[] data = bytes(512 * 1024, 5);
        String key = put(data);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<byte[]>> reads = new ArrayList<>();
        List<Future<String>> writes = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                writes.add(threads.submit(() -> {
                    go.await();
                    return put(data);
                }));
            }
            for (int i = 0; i < 32; i++) {
                reads.add(threads.submit(() -> {
                    go.await();
                    return get(key);
                }));
            }
            go.countDown();
            for (Future<byte[]> read : reads) {
                assertThat(read.get()).isEqualTo(data);
            }
            for (Future<String> write : writes) {
                assertThat(write.get()).isEqualTo(key);
            }
        }
    }

    private String put(byte[] data) {
        ByteBuf buf = Unpooled.wrappedBuffer(data);
        try {
            return store.put(buf).join();
        } finally {
            buf.release();
        }
    }

    private byte[] get(String key) {
        ByteBuf buf = store.get(key, PooledByteBufAllocator.DEFAULT).join();
        try {
            return toBytes(buf);
        } finally {
            buf.release();
        }
    }
}
