package dev.dxreactor.hbtp.cli;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the CLI prints reads back as what it was given. */
class RenderingPropertyTest {

    @Property
    void hexOutputParsesBackToThePayload(@ForAll @Size(max = 2000) byte[] payload, @ForAll @IntRange(max = 64) int offset) {
        ByteBuf buf = Unpooled.buffer(offset + payload.length).writerIndex(offset).writeBytes(payload)
                .readerIndex(offset);
        String answer = new String(Renderer.of(OutputFormat.HEX).answer(buf), StandardCharsets.US_ASCII);
        assertThat(answer).endsWith("\n").matches("[0-9a-f]*\n");
        assertThat(HexFormat.of().parseHex(answer.strip())).isEqualTo(payload);
        assertThat(buf.readerIndex()).as("rendering does not consume the payload").isEqualTo(offset);
    }

    @Property
    void aHexLineIsItsFieldsThenThePayload(@ForAll @Size(max = 500) byte[] payload,
                                           @ForAll @LongRange(min = 0) long base, @ForAll @LongRange(min = 0) long version) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("kind", "delta");
        fields.put("baseVersion", base);
        fields.put("version", version);
        String line = new String(Renderer.of(OutputFormat.HEX).line(fields, Unpooled.wrappedBuffer(payload)),
                StandardCharsets.US_ASCII);
        String[] words = line.substring(0, line.length() - 1).split(" ", -1);
        assertThat(words).hasSize(4);
        assertThat(words[0]).isEqualTo("delta");
        assertThat(Long.parseLong(words[1])).isEqualTo(base);
        assertThat(Long.parseLong(words[2])).isEqualTo(version);
        assertThat(HexFormat.of().parseHex(words[3])).isEqualTo(payload);
    }

    @Property
    void aRawLineIsThePayloadAndANewline(@ForAll @Size(max = 500) byte[] payload) {
        byte[] line = Renderer.of(OutputFormat.RAW).line(Map.of(), Unpooled.wrappedBuffer(payload));
        assertThat(line).hasSize(payload.length + 1).endsWith((byte) '\n');
        assertThat(Arrays.copyOf(line, payload.length)).isEqualTo(payload);
        assertThat(Renderer.of(OutputFormat.RAW).answer(Unpooled.wrappedBuffer(payload))).isEqualTo(payload);
    }

    @Property
    void aFormattedDurationParsesBack(@ForAll @LongRange(min = 0, max = 1_000_000_000_000_000L) long nanos) {
        Duration duration = Duration.ofNanos(nanos);
        assertThat(DurationConverter.parse(DurationConverter.format(duration))).isEqualTo(duration);
    }

    @Property
    void idsReadTheSameInDecimalAndHex(@ForAll @IntRange(max = 0xFFFF) int id) {
        IdConverter ids = new IdConverter();
        assertThat(ids.convert(Integer.toString(id))).isEqualTo(id);
        assertThat(ids.convert("0x" + Integer.toHexString(id))).isEqualTo(id);
    }
}
