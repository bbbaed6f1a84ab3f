package dev.dxreactor.benchmarks.teleport.flatbuffers;

import com.google.flatbuffers.FlatBufferBuilder;
import com.google.flatbuffers.Struct;

import java.nio.ByteBuffer;

/**
 * The {@code FbItem} struct of {@code src/main/flatbuffers/bench_user.fbs}. flatc is not on Maven Central,
 * so this class is written by hand to be what {@code flatc --java} generates for that struct (only the
 * members the benchmark uses): fields at fixed offsets in declaration order, each aligned to its size, the
 * struct padded to 24 bytes (its 8-byte alignment), and a builder method that writes it back to front as
 * {@link FlatBufferBuilder} builds.
 */
public final class FbItem extends Struct {

    /** Bytes of one struct in a vector: 18 of fields, padded to the 8-byte alignment. */
    public static final int SIZE = 24;
    public static final int ALIGNMENT = 8;

    public void __init(int _i, ByteBuffer _bb) {
        __reset(_i, _bb);
    }

    public FbItem __assign(int _i, ByteBuffer _bb) {
        __init(_i, _bb);
        return this;
    }

    public long sku() {
        return bb.getLong(bb_pos + 0);
    }

    public int quantity() {
        return bb.getInt(bb_pos + 8);
    }

    public int priceCents() {
        return bb.getInt(bb_pos + 12);
    }

    public short flags() {
        return bb.getShort(bb_pos + 16);
    }

    public static int createFbItem(FlatBufferBuilder builder, long sku, int quantity, int priceCents, short flags) {
        builder.prep(ALIGNMENT, SIZE);
        builder.pad(6);
        builder.putShort(flags);
        builder.putInt(priceCents);
        builder.putInt(quantity);
        builder.putLong(sku);
        return builder.offset();
    }
}
