package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One frame of every opcode, written down in {@code golden/*.hex} from the spec (not from this code), and
 * checked both ways: decoding the bytes gives the frame, encoding the frame gives the bytes.
 */
class GoldenVectorsTest {

    @ParameterizedTest
    @EnumSource(HbtpOpcode.class)
    void decodingTheGoldenBytesGivesTheFrame(HbtpOpcode opcode) throws IOException {
        EmbeddedChannel channel = new EmbeddedChannel(new HbtpFrameCodec());
        HbtpFrame expected = expected(opcode);
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(golden(opcode)));
            HbtpFrame decoded = channel.readInbound();
            try {
                assertThat(decoded.opcode()).isEqualTo(opcode);
                assertThat(decoded.flags()).isEqualTo(expected.flags());
                assertThat(decoded.sequence()).isEqualTo(expected.sequence());
                assertThat(ByteBufUtil.hexDump(decoded.payload())).isEqualTo(ByteBufUtil.hexDump(expected.payload()));
            } finally {
                decoded.release();
            }
        } finally {
            expected.release();
            channel.finishAndReleaseAll();
        }
    }

    @ParameterizedTest
    @EnumSource(HbtpOpcode.class)
    void encodingTheFrameGivesTheGoldenBytes(HbtpOpcode opcode) throws IOException {
        EmbeddedChannel channel = new EmbeddedChannel(new HbtpFrameCodec());
        try {
            channel.writeOutbound(expected(opcode));
            ByteBuf encoded = channel.readOutbound();
            try {
                assertThat(ByteBufUtil.hexDump(encoded)).isEqualTo(ByteBufUtil.hexDump(golden(opcode)));
            } finally {
                encoded.release();
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** The frames the golden files describe, built with this module's writers. */
    private static HbtpFrame expected(HbtpOpcode opcode) {
        ByteBuf p = Unpooled.buffer();
        int flags = HbtpFlags.FINAL;
        int sequence = 0;
        switch (opcode) {
            case PING, PONG -> {
                sequence = 1;
                p.writeBytes(new byte[]{1, 2, 3, 4});
            }
            case CLOSE -> p.writeShortLE(HbtpCloseCode.NORMAL).writeCharSequence("bye", StandardCharsets.UTF_8);
            case HELLO -> new HbtpHello(1, HbtpCapabilities.METADATA | HbtpCapabilities.STATE, 1 << 20, 16 << 20)
                    .write(p);
            case HELLO_ACK -> new HbtpHello(1, HbtpCapabilities.METADATA | HbtpCapabilities.STATE, 65536, 1 << 20)
                    .write(p);
            case STATE_SYNC -> p.writeShortLE(3).writeLongLE(42).writeCharSequence("state", StandardCharsets.UTF_8);
            case STATE_DELTA -> p.writeShortLE(3).writeLongLE(42).writeLongLE(43)
                    .writeCharSequence("d", StandardCharsets.UTF_8);
            case SUBSCRIBE -> p.writeShortLE(3).writeLongLE(0);
            case UNSUBSCRIBE -> p.writeShortLE(3);
            case RPC_CALL -> {
                sequence = 0x1234;
                flags |= HbtpFlags.EXPECTS_RESPONSE | HbtpFlags.METADATA;
                HbtpMetadata.builder().put(HbtpMetadata.AUTH, "xyz").build().write(p);
                p.writeShortLE(7).writeCharSequence("req", StandardCharsets.UTF_8);
            }
            case RPC_RESPONSE -> {
                sequence = 0x1234;
                p.writeCharSequence("resp", StandardCharsets.UTF_8);
            }
            case RPC_ERROR -> {
                sequence = 0x1234;
                p.writeShortLE(HbtpStatus.UNKNOWN_ROUTE).writeCharSequence("no route 7", StandardCharsets.UTF_8);
            }
            case CANCEL -> sequence = 0x1234;
            case CLIENT_EVENT -> p.writeShortLE(9).writeCharSequence("evt", StandardCharsets.UTF_8);
            case SERVER_EVENT -> p.writeShortLE(9).writeCharSequence("push", StandardCharsets.UTF_8);
        }
        return new HbtpFrame(opcode, flags, sequence, p);
    }

    private static byte[] golden(HbtpOpcode opcode) throws IOException {
        try (InputStream in = GoldenVectorsTest.class.getResourceAsStream("golden/" + opcode.name() + ".hex")) {
            assertThat(in).as("golden/%s.hex", opcode.name()).isNotNull();
            String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
                    .filter(line -> !line.startsWith("#"))
                    .collect(Collectors.joining()).replaceAll("\\s", "");
            return ByteBufUtil.decodeHexDump(hex);
        }
    }
}
