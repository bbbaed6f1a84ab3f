package dev.dxreactor.benchmarks.teleport.flatbuffers;

import com.google.flatbuffers.FlatBufferBuilder;
import com.google.flatbuffers.Table;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The {@code FbUser} table of {@code src/main/flatbuffers/bench_user.fbs}. flatc is not on Maven Central,
 * so this class is written by hand to be what {@code flatc --java} generates for that table (only the
 * members the benchmark uses): each field found through the vtable slot of its declaration index (4, 6, 8,
 * ...), the schema default when the slot is absent, and a {@code create} method that adds the fields
 * largest first, as flatc orders them to waste the least padding.
 */
public final class FbUser extends Table {

    public static FbUser getRootAsFbUser(ByteBuffer _bb, FbUser obj) {
        _bb.order(ByteOrder.LITTLE_ENDIAN);
        return obj.__assign(_bb.getInt(_bb.position()) + _bb.position(), _bb);
    }

    public void __init(int _i, ByteBuffer _bb) {
        __reset(_i, _bb);
    }

    public FbUser __assign(int _i, ByteBuffer _bb) {
        __init(_i, _bb);
        return this;
    }

    public long id() {
        int o = __offset(4);
        return o != 0 ? bb.getLong(o + bb_pos) : 0L;
    }

    public int age() {
        int o = __offset(6);
        return o != 0 ? bb.getInt(o + bb_pos) : 0;
    }

    public boolean active() {
        int o = __offset(8);
        return o != 0 ? 0 != bb.get(o + bb_pos) : false;
    }

    public short flags() {
        int o = __offset(10);
        return o != 0 ? bb.getShort(o + bb_pos) : 0;
    }

    public String name() {
        int o = __offset(12);
        return o != 0 ? __string(o + bb_pos) : null;
    }

    public String email() {
        int o = __offset(14);
        return o != 0 ? __string(o + bb_pos) : null;
    }

    public FbItem items(FbItem obj, int j) {
        int o = __offset(16);
        return o != 0 ? obj.__assign(__vector(o) + j * FbItem.SIZE, bb) : null;
    }

    public int itemsLength() {
        int o = __offset(16);
        return o != 0 ? __vector_len(o) : 0;
    }

    public static int createFbUser(FlatBufferBuilder builder, long id, int age, boolean active, short flags,
                                   int nameOffset, int emailOffset, int itemsOffset) {
        builder.startTable(7);
        FbUser.addId(builder, id);
        FbUser.addItems(builder, itemsOffset);
        FbUser.addEmail(builder, emailOffset);
        FbUser.addName(builder, nameOffset);
        FbUser.addAge(builder, age);
        FbUser.addFlags(builder, flags);
        FbUser.addActive(builder, active);
        return FbUser.endFbUser(builder);
    }

    public static void addId(FlatBufferBuilder builder, long id) {
        builder.addLong(0, id, 0L);
    }

    public static void addAge(FlatBufferBuilder builder, int age) {
        builder.addInt(1, age, 0);
    }

    public static void addActive(FlatBufferBuilder builder, boolean active) {
        builder.addBoolean(2, active, false);
    }

    public static void addFlags(FlatBufferBuilder builder, short flags) {
        builder.addShort(3, flags, 0);
    }

    public static void addName(FlatBufferBuilder builder, int nameOffset) {
        builder.addOffset(4, nameOffset, 0);
    }

    public static void addEmail(FlatBufferBuilder builder, int emailOffset) {
        builder.addOffset(5, emailOffset, 0);
    }

    public static void addItems(FlatBufferBuilder builder, int itemsOffset) {
        builder.addOffset(6, itemsOffset, 0);
    }

    public static void startItemsVector(FlatBufferBuilder builder, int numElems) {
        builder.startVector(FbItem.SIZE, numElems, FbItem.ALIGNMENT);
    }

    public static int endFbUser(FlatBufferBuilder builder) {
        return builder.endTable();
    }

    public static void finishFbUserBuffer(FlatBufferBuilder builder, int offset) {
        builder.finish(offset);
    }
}
