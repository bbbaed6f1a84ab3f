package dev.dxreactor.hbtp.cli;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns payloads into what stdout shows: the bytes, their hex, or a teleport message's JSON. A whole answer
 * ({@link #answer}) is written as it is in raw form; a stream of payloads ({@link #line}) is one line each.
 */
final class Renderer {

    private final OutputFormat format;
    private final TeleportJson json;

    private Renderer(OutputFormat format, TeleportJson json) {
        this.format = format;
        this.json = json;
    }

    static Renderer of(OutputFormat format) {
        if (format == OutputFormat.JSON) {
            throw new IllegalArgumentException("json needs a type");
        }
        return new Renderer(format, null);
    }

    static Renderer json(TeleportJson json) {
        return new Renderer(OutputFormat.JSON, json);
    }

    OutputFormat format() {
        return format;
    }

    /** An RPC answer: raw bytes as they are, hex or JSON followed by a newline. */
    byte[] answer(ByteBuf payload) {
        return switch (format) {
            case RAW -> ByteBufUtil.getBytes(payload);
            case HEX -> (hex(payload) + "\n").getBytes(StandardCharsets.US_ASCII);
            case JSON -> (Json.write(json.toRecord(payload)) + "\n").getBytes(StandardCharsets.UTF_8);
        };
    }

    /**
     * One line for a payload of a stream (topic states, events): {@code prefix} (words separated by spaces)
     * before the payload in raw and hex form; in JSON form an object with the prefix's fields and the
     * message as {@code value}, or the message alone when there are no fields.
     */
    byte[] line(Map<String, Object> fields, ByteBuf payload) {
        if (format == OutputFormat.JSON) {
            Object record = json.toRecord(payload);
            if (fields.isEmpty()) {
                return (Json.write(record) + "\n").getBytes(StandardCharsets.UTF_8);
            }
            Map<String, Object> object = new LinkedHashMap<>(fields);
            object.put("value", record);
            return (Json.write(object) + "\n").getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder prefix = new StringBuilder();
        for (Object value : fields.values()) {
            prefix.append(value).append(' ');
        }
        byte[] head = prefix.toString().getBytes(StandardCharsets.UTF_8);
        byte[] body = format == OutputFormat.HEX ? hex(payload).getBytes(StandardCharsets.US_ASCII)
                : ByteBufUtil.getBytes(payload);
        byte[] line = new byte[head.length + body.length + 1];
        System.arraycopy(head, 0, line, 0, head.length);
        System.arraycopy(body, 0, line, head.length, body.length);
        line[line.length - 1] = '\n';
        return line;
    }

    /** Lowercase hex of the readable bytes, two digits a byte: {@code HexFormat.of().parseHex} reads it back. */
    static String hex(ByteBuf payload) {
        return ByteBufUtil.hexDump(payload);
    }
}
