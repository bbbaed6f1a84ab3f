package dev.dxreactor.teleport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The writer and the reader by hand, without generated code: a block of a long, a string and an int slice. */
class TeleportBufferTest {

    private static final int SCHEMA = 3;
    private static final int TEMPLATE = 9;
    private static final int ID = 0;
    private static final int NAME = 8;
    private static final int SCORES = 16;
    private static final int BLOCK_LENGTH = 24;

    private final TeleportBuffer out = TeleportBuffer.allocate(ByteBufAllocator.DEFAULT);

    @AfterEach
    void release() {
        out.release();
    }

    private ByteBuf message(long id, String name, int[] scores) {
        int at = out.beginMessage(SCHEMA, TEMPLATE, 1, BLOCK_LENGTH);
        out.putLong(at + ID, id);
        out.writeString(at + NAME, name);
        out.writeInts(at + SCORES, scores);
        return out.finish();
    }

    @Test
    void finishIntoAppendsTheSameBytesAsFinishToDirectHeapAndCompositeTargets() {
        ByteBuf expected = message(42, "Grüße", new int[]{7, -1});
        ByteBuf direct = ByteBufAllocator.DEFAULT.directBuffer(4);
        ByteBuf heap = ByteBufAllocator.DEFAULT.heapBuffer(4);
        ByteBuf composite = ByteBufAllocator.DEFAULT.compositeDirectBuffer()
                .addComponents(true, ByteBufAllocator.DEFAULT.directBuffer(8).writeZero(3),
                        ByteBufAllocator.DEFAULT.directBuffer(8));
        try {
            for (ByteBuf target : new ByteBuf[]{direct, heap, composite}) {
                target.writerIndex(0).writeBytes(new byte[]{1, 2, 3});
                int at = out.beginMessage(SCHEMA, TEMPLATE, 1, BLOCK_LENGTH);
                out.putLong(at + ID, 42);
                out.writeString(at + NAME, "Grüße");
                out.writeInts(at + SCORES, new int[]{7, -1});

                assertThat(out.finishInto(target)).isEqualTo(expected.readableBytes());
                assertThat(target.readableBytes()).as(target.toString()).isEqualTo(3 + expected.readableBytes());
                assertThat(ByteBufUtil.getBytes(target, 3, expected.readableBytes())).as(target.toString())
                        .isEqualTo(ByteBufUtil.getBytes(expected));
                assertThat(target.getByte(2)).as("what the target held before is kept").isEqualTo((byte) 3);
            }
        } finally {
            expected.release();
            direct.release();
            heap.release();
            composite.release();
        }
    }

    @Test
    void aMessageReadsBackThroughTheReaderWithoutCopies() {
        ByteBuf wire = message(42, "Grüße", new int[]{7, -1, Integer.MAX_VALUE});
        try {
            TeleportReader reader = new TeleportReader();
            reader.wrap(wire, 0, SCHEMA, TEMPLATE, BLOCK_LENGTH);
            // A direct message at offset 0: memory positions are buffer indexes.
            int at = reader.block();
            reader.checkString(at + NAME, "name");
            assertThat(reader.checkSlice(at + SCORES, 4, 4, "scores")).isEqualTo(3);

            assertThat(reader.memory().getLong(at + ID)).isEqualTo(42);
            assertThat(reader.string(at + NAME)).isEqualTo("Grüße");
            ByteBuf utf8 = reader.stringBytes(at + NAME);
            assertThat(utf8.toString(StandardCharsets.UTF_8)).isEqualTo("Grüße");
            wire.setByte(reader.messageLength() - utf8.readableBytes(), 'K');
            assertThat(utf8.toString(StandardCharsets.UTF_8)).as("a slice of the message, not a copy")
                    .isEqualTo("Krüße");
            int scores = (int) reader.sliceStart(at + SCORES);
            assertThat(scores % 4).isZero();
            assertThat(wire.getIntLE(scores + 8)).isEqualTo(Integer.MAX_VALUE);
            assertThat(reader.messageLength()).isEqualTo(wire.readableBytes());
            assertThat(wire.getUnsignedShortLE(TeleportHeader.BLOCK_LENGTH_OFFSET)).isEqualTo(BLOCK_LENGTH);
        } finally {
            wire.release();
        }
    }

    @Test
    void theSameValuesGiveTheSameBytesAndTheWriterIsReusable() {
        ByteBuf first = message(1, "a", new int[]{1, 2});
        ByteBuf second = message(1, "a", new int[]{1, 2});
        try {
            assertThat(ByteBufUtil.hexDump(first)).isEqualTo(ByteBufUtil.hexDump(second));
        } finally {
            first.release();
            second.release();
        }
    }

    @Test
    void messagesFinishedIntoOneBufferReadBackAtTheirOffsets() {
        ByteBuf burst = ByteBufAllocator.DEFAULT.directBuffer();
        try {
            int at = out.beginMessage(SCHEMA, TEMPLATE, 1, BLOCK_LENGTH);
            out.putLong(at + ID, 1);
            out.writeString(at + NAME, "first");
            int first = out.finishInto(burst);
            at = out.beginMessage(SCHEMA, TEMPLATE, 1, BLOCK_LENGTH);
            out.putLong(at + ID, 2);
            out.writeString(at + NAME, "second");
            out.finishInto(burst);

            TeleportReader reader = new TeleportReader();
            reader.wrap(burst, first, SCHEMA, TEMPLATE, BLOCK_LENGTH);
            reader.checkString(reader.block() + NAME, "name");
            assertThat(reader.memory().getLong(reader.block() + ID)).isEqualTo(2);
            assertThat(reader.string(reader.block() + NAME)).isEqualTo("second");
            assertThat(reader.messageLength() + first).isEqualTo(burst.readableBytes());
        } finally {
            burst.release();
        }
    }

    @Test
    void aNullStringReadsBackAsNull() {
        ByteBuf wire = message(1, null, null);
        try {
            TeleportReader reader = new TeleportReader();
            reader.wrap(wire, 0, SCHEMA, TEMPLATE, BLOCK_LENGTH);
            reader.checkString(reader.block() + NAME, "name");
            assertThat(reader.string(reader.block() + NAME)).isNull();
            assertThat(reader.stringBytes(reader.block() + NAME)).isNull();
            assertThat(reader.checkSlice(reader.block() + SCORES, 4, 4, "scores")).isZero();
        } finally {
            wire.release();
        }
    }

    @Test
    void headersThatDoNotFitAreRefusedWithTheReason() {
        ByteBuf wire = message(1, "abc", new int[]{1});
        try {
            TeleportReader reader = new TeleportReader();
            assertThatThrownBy(() -> reader.wrap(wire, 0, SCHEMA, TEMPLATE + 1, BLOCK_LENGTH))
                    .isInstanceOf(TeleportFormatException.class).hasMessageContaining("expected schema 3, template 10");
            assertThatThrownBy(() -> reader.wrap(wire.slice(0, 20), 0, SCHEMA, TEMPLATE, BLOCK_LENGTH))
                    .isInstanceOf(TeleportFormatException.class).hasMessageContaining("but 20 bytes are present");
            assertThatThrownBy(() -> reader.wrap(wire, 0, SCHEMA, TEMPLATE, BLOCK_LENGTH + 8))
                    .isInstanceOf(TeleportFormatException.class).hasMessageContaining("block length 24 outside 32..");
            assertThatThrownBy(() -> reader.wrap(wire, wire.readableBytes() - 4, SCHEMA, TEMPLATE, 0))
                    .isInstanceOf(TeleportFormatException.class).hasMessageContaining("16-byte header");
        } finally {
            wire.release();
        }
    }

    @Test
    void referencesOutsideTheirAreaAreRefused() {
        ByteBuf wire = message(1, "abc", new int[]{1, 2});
        try {
            TeleportReader reader = new TeleportReader().validateUtf8(true);
            reader.wrap(wire, 0, SCHEMA, TEMPLATE, BLOCK_LENGTH);
            // A direct message at offset 0: memory positions are buffer indexes.
            int at = reader.block();
            wire.setIntLE(at + NAME + 4, 4);
            assertThatThrownBy(() -> reader.checkString(at + NAME, "User.name"))
                    .isInstanceOf(TeleportFormatException.class).hasMessageContaining("User.name: string of 4 bytes");
            wire.setIntLE(at + NAME + 4, 3);
            wire.setByte(reader.messageLength() - 3, 0xFF);
            assertThatThrownBy(() -> reader.checkString(at + NAME, "User.name")).hasMessageContaining("UTF-8");
            wire.setIntLE(at + SCORES + 4, 3);
            assertThatThrownBy(() -> reader.checkSlice(at + SCORES, 4, 4, "User.scores"))
                    .isInstanceOf(TeleportFormatException.class).hasMessageContaining("outside the slice area");
            wire.setIntLE(at + SCORES + 4, 2);
            wire.setIntLE(at + SCORES, wire.getIntLE(at + SCORES) + 1);
            assertThatThrownBy(() -> reader.checkSlice(at + SCORES, 4, 4, "User.scores"))
                    .isInstanceOf(TeleportFormatException.class);
        } finally {
            wire.release();
        }
    }

    @Test
    void overlappingSlicesAreRefused() {
        ByteBuf wire = message(1, "abc", new int[]{1, 2});
        try {
            TeleportReader reader = new TeleportReader();
            reader.wrap(wire, 0, SCHEMA, TEMPLATE, BLOCK_LENGTH);
            // A direct message at offset 0: memory positions are buffer indexes.
            int at = reader.block();
            reader.checkSlice(at + SCORES, 4, 4, "first");
            assertThatThrownBy(() -> reader.checkSlice(at + SCORES, 4, 4, "again"))
                    .isInstanceOf(TeleportFormatException.class).hasMessageContaining("slices overlap");
        } finally {
            wire.release();
        }
    }

    @Test
    void misuseOfTheWriterIsReported() {
        assertThatThrownBy(out::finish).isInstanceOf(IllegalStateException.class);
        out.beginMessage(1, 1, 1, 8);
        assertThatThrownBy(() -> out.beginMessage(1, 1, 1, 8)).isInstanceOf(IllegalStateException.class);
        out.reset();
        assertThat(out.isWriting()).isFalse();
        assertThatThrownBy(() -> out.beginMessage(1, 70000, 1, 8)).hasMessageContaining("templateId 70000");
    }
}
