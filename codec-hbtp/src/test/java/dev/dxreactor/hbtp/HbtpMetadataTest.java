package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class HbtpMetadataTest {

    @Property(tries = 300)
    void metadataRoundTripsAndLeavesTheRestOfTheBody(@ForAll("metadata") HbtpMetadata metadata,
                                                     @ForAll byte[] rest) {
        ByteBuf body = Unpooled.buffer();
        try {
            metadata.write(body);
            assertThat(body.readableBytes()).isEqualTo(metadata.encodedSize());
            body.writeBytes(rest);

            HbtpMetadata read = HbtpMetadata.read(body, 1 << 20);

            assertThat(read).isEqualTo(metadata);
            assertThat(HbtpFrameCodecTest.bytes(body)).isEqualTo(rest);
        } finally {
            body.release();
        }
    }

    @Test
    void builtInKeysAreReadAsTheirConstantsAndOthersAsNewStrings() {
        ByteBuf body = Unpooled.buffer();
        try {
            HbtpMetadata.builder().put("version", "7").put("versioN", "8").build().write(body);
            HbtpMetadata read = HbtpMetadata.read(body, 1024);
            assertThat(read.entries().get(0).key()).isSameAs(HbtpMetadata.VERSION);
            assertThat(read.entries().get(1).key()).isEqualTo("versioN");
            assertThat(read.get(HbtpMetadata.VERSION)).isEqualTo("7");

            body.clear();
            HbtpMetadata.builder().put("deadline-ms", "50").build().write(body);
            HbtpMetadata one = HbtpMetadata.read(body, 1024);
            assertThat(one.entries()).singleElement().satisfies(e -> assertThat(e.key()).isSameAs(HbtpMetadata.DEADLINE_MS));
            assertThatThrownBy(() -> one.entries().clear()).isInstanceOf(UnsupportedOperationException.class);
        } finally {
            body.release();
        }
    }

    @Test
    void aBlockOverTheLimitIsTooLargeAndNothingIsRead() {
        HbtpMetadata big = HbtpMetadata.builder().put("trace-id", new byte[600]).put("auth", new byte[600]).build();
        ByteBuf body = Unpooled.buffer();
        try {
            big.write(body);
            HbtpProtocolException e = catchThrowableOfType(HbtpProtocolException.class,
                    () -> HbtpMetadata.read(body, 1024));
            assertThat(e.closeCode()).isEqualTo(HbtpCloseCode.TOO_LARGE);
            assertThat(e.reason()).contains("exceeds the maximum of 1024 bytes");
            assertThat(body.readerIndex()).isZero();
        } finally {
            body.release();
        }
    }

    @Test
    void aCountLargerThanTheEntriesIsTruncated() {
        ByteBuf body = Unpooled.buffer().writeShortLE(3).writeByte(1).writeByte('a').writeShortLE(0);
        try {
            HbtpProtocolException e = catchThrowableOfType(HbtpProtocolException.class,
                    () -> HbtpMetadata.read(body, 8192));
            assertThat(e.closeCode()).isEqualTo(HbtpCloseCode.PROTOCOL_ERROR);
            assertThat(e.reason()).contains("entry 1 of 3 is truncated");
        } finally {
            body.release();
        }
    }

    @Test
    void anEmptyKeyIsRefusedOnReadAsOnWrite() {
        ByteBuf body = Unpooled.buffer().writeShortLE(1).writeByte(0).writeShortLE(1).writeByte('x');
        try {
            assertThat(catchThrowableOfType(HbtpProtocolException.class, () -> HbtpMetadata.read(body, 8192))
                    .reason()).contains("key of length 0");
        } finally {
            body.release();
        }
        assertThatThrownBy(() -> HbtpMetadata.builder().put("", "x")).hasMessageContaining("1 to 255");
    }

    @Test
    void aKeyThatIsNotPrintableAsciiIsRejected() {
        ByteBuf body = Unpooled.buffer().writeShortLE(1).writeByte(2).writeByte('a').writeByte(0x0A).writeShortLE(0);
        try {
            assertThat(catchThrowableOfType(HbtpProtocolException.class, () -> HbtpMetadata.read(body, 8192))
                    .reason()).contains("0x0a is not printable ASCII");
        } finally {
            body.release();
        }
        assertThatThrownBy(() -> HbtpMetadata.builder().put("bad key", "x"))
                .hasMessageContaining("printable ASCII");
    }

    @Test
    void valuesAreFoundByKey() {
        HbtpMetadata m = HbtpMetadata.builder().put(HbtpMetadata.AUTH, "token").put(HbtpMetadata.DEADLINE_MS, "250")
                .build();
        assertThat(m.get(HbtpMetadata.DEADLINE_MS)).isEqualTo("250");
        assertThat(m.get("missing")).isNull();
        assertThat(m.entries()).hasSize(2);
    }

    @Provide
    Arbitrary<HbtpMetadata> metadata() {
        // Built-in keys (read back as their constants) and near misses of them, among random ones.
        Arbitrary<String> keys = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40),
                Arbitraries.of(HbtpMetadata.VERSION, HbtpMetadata.DEADLINE_MS, HbtpMetadata.AUTH, HbtpMetadata.TRACE_ID,
                        HbtpMetadata.RESPONSE_TIME_US, "versioN", "auth-", "trace-ie"));
        Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Combinators.combine(keys, values).as(HbtpMetadata.Entry::new).list().ofMaxSize(12).map(entries -> {
            HbtpMetadata.Builder b = HbtpMetadata.builder();
            for (HbtpMetadata.Entry e : entries) {
                b.put(e.key(), e.value());
            }
            return b.build();
        });
    }
}
