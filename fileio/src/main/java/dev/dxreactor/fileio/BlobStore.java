package dev.dxreactor.fileio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Content-addressed blobs: the key of a blob is the lowercase hex SHA-256 of its bytes, and it is stored at
 * {@code root/<first two hex digits>/<key>}.
 *
 * <ul>
 *   <li>A put writes to a private temporary file, flushes it, and renames it over the final name atomically, so a
 *   reader sees either no blob or a whole one, never a partial write. Concurrent puts of one key each rename a
 *   complete copy; the last rename wins and all copies hold the same bytes.</li>
 *   <li>Every get hashes what it read and fails with {@link BlobCorruptedException} when that is not the key;
 *   a later put of the same content repairs the copy.</li>
 * </ul>
 *
 * <p>File I/O goes through {@link PlatformFiles}; hashing and renaming run on the given executor, never on an
 * event loop.
 */
public final class BlobStore {

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");
    private static final HexFormat HEX = HexFormat.of();

    private final Path root;
    private final Path temp;
    private final PlatformFiles files;
    private final Executor executor;

    private BlobStore(Path root, PlatformFiles files, Executor executor) {
        this.root = root;
        this.temp = root.resolve("tmp");
        this.files = files;
        this.executor = executor;
    }

    /**
     * Opens (creating if needed) a store under {@code root}.
     *
     * @param files    the file backend; the caller keeps ownership
     * @param executor runs hashing and renames, for example a reactor's offload executor
     */
    public static BlobStore open(Path root, PlatformFiles files, Executor executor) throws IOException {
        Path absolute = root.toAbsolutePath().normalize();
        Files.createDirectories(absolute.resolve("tmp"));
        return new BlobStore(absolute, Objects.requireNonNull(files, "files"), Objects.requireNonNull(executor));
    }

    /** The SHA-256 of the readable bytes of {@code data}, as lowercase hex; the indexes are left alone. */
    public static String sha256(ByteBuf data) {
        MessageDigest digest = newDigest();
        for (ByteBuffer part : data.nioBuffers(data.readerIndex(), data.readableBytes())) {
            digest.update(part);
        }
        return HEX.formatHex(digest.digest());
    }

    /**
     * Stores the readable bytes of {@code data}. The caller keeps ownership of {@code data} and must leave it
     * unchanged until the future completes.
     *
     * @return the key
     */
    public CompletableFuture<String> put(ByteBuf data) {
        return CompletableFuture.supplyAsync(() -> {
            String key = sha256(data);
            try {
                Files.createDirectories(shard(key));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return key;
        }, executor).thenCompose(key -> {
            Path tmp = temp.resolve(key + "." + UUID.randomUUID());
            return files.writeAll(tmp, data, true)
                    .thenApplyAsync(written -> {
                        moveIntoPlace(tmp, pathOf(key));
                        return key;
                    }, executor)
                    .whenCompleteAsync((k, error) -> {
                        if (error != null) {
                            deleteQuietly(tmp);
                        }
                    }, executor);
        });
    }

    /**
     * Reads a blob and checks it against its key.
     *
     * @return the bytes, in a buffer from {@code alloc} that the caller releases; fails with
     *         {@link BlobCorruptedException} when they do not hash to {@code key}, and with a
     *         {@link FileIoException} ({@code ENOENT}) when there is no such blob
     * @throws IllegalArgumentException if {@code key} is not 64 lowercase hex digits
     */
    public CompletableFuture<ByteBuf> get(String key, ByteBufAllocator alloc) {
        Path path = pathOf(key);
        return files.readAll(path, alloc).thenApplyAsync(buf -> {
            String actual = sha256(buf);
            if (!actual.equals(key)) {
                long size = buf.readableBytes();
                buf.release();
                throw new CompletionException(new BlobCorruptedException(key, actual, size));
            }
            return buf;
        }, executor);
    }

    /** Whether a blob is stored under {@code key} (without checking its bytes). */
    public boolean contains(String key) {
        return Files.isRegularFile(pathOf(key));
    }

    /** Removes a blob; returns whether it was there. */
    public boolean delete(String key) throws IOException {
        return Files.deleteIfExists(pathOf(key));
    }

    /** Where the blob of {@code key} lives. */
    public Path pathOf(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a SHA-256 key (64 lowercase hex digits): " + key);
        }
        return shard(key).resolve(key);
    }

    public Path root() {
        return root;
    }

    private Path shard(String key) {
        return root.resolve(key.substring(0, 2));
    }

    private static void moveIntoPlace(Path tmp, Path target) {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new UncheckedIOException("the blob store needs atomic renames inside its root", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // Nothing refers to a temporary file; a leftover costs space only.
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
