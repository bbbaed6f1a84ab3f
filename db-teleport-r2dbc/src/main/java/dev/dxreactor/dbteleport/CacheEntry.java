package dev.dxreactor.dbteleport;

import dev.dxreactor.hbtp.HbtpMetadata;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One query result as its client receives it: the pre-serialized bytes, their version and when they were
 * read from the database.
 *
 * <p>Immutable. The bytes live on the Java heap and are never released by the cache: an entry that is
 * evicted or replaced while someone still holds it stays whole until it is no longer referenced.
 */
public final class CacheEntry implements CacheResult {

    private final RegisteredQuery query;
    private final long snapshot;
    private final byte[] bytes;
    private final long version;
    private final Instant updatedAt;

    /** Read-only, never released, indices never moved: what every hit hands out without a copy. */
    private final ByteBuf shared;
    // Built once per entry so that a hit allocates none of them.
    private final CompletionStage<CacheEntry> stage;
    private final CompletionStage<CacheResult> resultStage;
    private final CompletionStage<CacheResult> notModifiedStage;
    private final CompletionStage<ByteBuf> bodyStage;
    private final HbtpMetadata versionMetadata;

    CacheEntry(RegisteredQuery query, long snapshot, byte[] bytes, long version, Instant updatedAt) {
        this.query = query;
        this.snapshot = snapshot;
        this.bytes = bytes;
        this.version = version;
        this.updatedAt = updatedAt;
        this.shared = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
        this.stage = CompletableFuture.completedStage(this);
        this.resultStage = CompletableFuture.completedStage(this);
        this.notModifiedStage = CompletableFuture.completedStage(new NotModified(version));
        // A plain completed future, not completedStage: the HBTP server answers a future it can see is done
        // at once, without a callback or a dependent stage.
        this.bodyStage = CompletableFuture.completedFuture(shared);
        this.versionMetadata = HbtpMetadata.builder()
                .put(HbtpMetadata.VERSION, Long.toUnsignedString(version)).build();
    }

    /**
     * The bytes as a new read-only buffer with indices of its own, over the entry's memory (no copy).
     * Releasing it is not needed and does nothing.
     */
    public ByteBuf content() {
        return shared.duplicate();
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Appends the bytes to {@code out}. */
    public void writeTo(ByteBuf out) {
        out.writeBytes(bytes);
    }

    /** Number of bytes. */
    public int size() {
        return bytes.length;
    }

    /**
     * The entry's version, an unsigned 64-bit number: a result read later than another, for the same query
     * and parameters, has a larger version. Versions come from a clock of microseconds since the epoch, made
     * strictly increasing within the process, so they also grow across restarts.
     */
    @Override
    public long version() {
        return version;
    }

    /** When the query that produced these bytes was started. */
    public Instant updatedAt() {
        return updatedAt;
    }

    RegisteredQuery query() {
        return query;
    }

    /** Whether no change to the query's tables (and no listener outage) happened since the query started. */
    boolean isCurrent() {
        return query.snapshot() == snapshot;
    }

    long snapshot() {
        return snapshot;
    }

    CompletionStage<CacheEntry> stage() {
        return stage;
    }

    CompletionStage<CacheResult> resultStage(long knownVersion) {
        return knownVersion == version ? notModifiedStage : resultStage;
    }

    /** The shared bytes: the HBTP server copies a response body without moving its indices or releasing it. */
    CompletionStage<ByteBuf> bodyStage() {
        return bodyStage;
    }

    HbtpMetadata versionMetadata() {
        return versionMetadata;
    }

    @Override
    public String toString() {
        return "CacheEntry(" + query.id() + ", " + bytes.length + " B, version " + Long.toUnsignedString(version)
                + ", " + updatedAt + ")";
    }
}
