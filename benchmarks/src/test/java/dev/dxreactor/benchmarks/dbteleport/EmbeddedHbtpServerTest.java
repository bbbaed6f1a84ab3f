package dev.dxreactor.benchmarks.dbteleport;

import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpFlags;
import dev.dxreactor.hbtp.HbtpFrame;
import dev.dxreactor.hbtp.HbtpOpcode;
import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.hbtp.HbtpServerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server-side harness: a real client's recorded bytes replayed into the server's own pipeline. */
class EmbeddedHbtpServerTest {

    private static final HbtpServerConfig ECHO = HbtpServerConfig.builder()
            .router(new HbtpRouter().route(3, call -> call.payload().retain())).build();

    @Test
    void aRecordedCallReplayedIntoTheServersPipelineIsAnsweredAsTheClientWasAnswered() throws Exception {
        List<byte[]> frames = ClientRecording.record(ECHO, HbtpClientConfig.builder().compressionThreshold(0),
                client -> {
                    ByteBuf echo = client.call(3, Unpooled.copiedBuffer("ping", StandardCharsets.UTF_8))
                            .get(30, TimeUnit.SECONDS);
                    assertThat(echo.toString(StandardCharsets.UTF_8)).isEqualTo("ping");
                    echo.release();
                });
        assertThat(frames).hasSizeGreaterThanOrEqualTo(2);
        assertThat(Byte.toUnsignedInt(frames.get(0)[0])).isEqualTo(HbtpOpcode.HELLO.code());
        assertThat(Byte.toUnsignedInt(frames.get(1)[0])).isEqualTo(HbtpOpcode.RPC_CALL.code());

        try (EmbeddedHbtpServer server = new EmbeddedHbtpServer(ECHO, frames.get(0))) {
            ByteBuf request = EmbeddedHbtpServer.buffer(frames.get(1));
            List<HbtpFrame> answer = server.exchange(request.retainedDuplicate());
            assertThat(answer).hasSize(1);
            HbtpFrame response = answer.get(0);
            assertThat(response.opcode()).isEqualTo(HbtpOpcode.RPC_RESPONSE);
            assertThat(response.hasFlag(HbtpFlags.FINAL)).isTrue();
            assertThat(response.payload().toString(StandardCharsets.UTF_8)).isEqualTo("ping");
            response.release();

            int size = server.answer(request.retainedDuplicate());
            assertThat(size).isEqualTo(8 + "ping".length());
            assertThat(request.refCnt()).as("the server released what it was handed").isEqualTo(1);
            request.release();
        }
    }

    @Test
    void aHelloTheServerRefusesIsReported() {
        byte[] notHello = new byte[]{(byte) HbtpOpcode.PING.code(), (byte) HbtpFlags.FINAL, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> new EmbeddedHbtpServer(ECHO, notHello))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("answered the client's HELLO with");
    }

    @Property(tries = 100)
    void recordedBytesAreCutAtTheFrameBoundariesTheirHeadersGive(
            @ForAll @Size(max = 6) List<@IntRange(max = 300) Integer> payloadLengths,
            @ForAll @IntRange(max = 7) int trailing) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteBuf frame = Unpooled.buffer();
        for (int i = 0; i < payloadLengths.size(); i++) {
            frame.clear().writeByte(HbtpOpcode.RPC_CALL.code()).writeByte(HbtpFlags.FINAL).writeShortLE(i)
                    .writeIntLE(payloadLengths.get(i)).writeZero(payloadLengths.get(i));
            wire.writeBytes(ByteBufUtil.getBytes(frame));
        }
        wire.writeBytes(new byte[trailing]); // an unfinished header: not a frame
        List<byte[]> frames = ClientRecording.frames(wire.toByteArray());
        assertThat(frames).hasSize(payloadLengths.size());
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i)).hasSize(8 + payloadLengths.get(i));
            assertThat(frames.get(i)[2]).isEqualTo((byte) i);
        }
    }
}
