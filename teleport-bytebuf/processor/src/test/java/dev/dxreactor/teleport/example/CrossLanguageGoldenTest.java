package dev.dxreactor.teleport.example;

import dev.dxreactor.teleport.TeleportBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden messages both languages are held to: {@code src/test/resources/teleport-golden/<name>.bin},
 * written by the Java writer from the values below, and {@code values.json}, those values as JSON. This test
 * checks that the Java writer still produces exactly those bytes and that the JSON still describes these
 * values; {@link TypeScriptViewsTest} reads the same files with the generated TypeScript views and writes
 * them again with the generated TypeScript writers.
 *
 * <p>JSON encoding of a value: {@code long} as a decimal string (beyond a JavaScript number's precision),
 * {@code char} and {@code char[]} as strings, NaN, infinities and -0 of {@code float} and {@code double} as
 * the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}, {@code "-0"}, {@code byte[]} as signed
 * numbers, records as objects in component order, enums by name.
 *
 * <p>After a deliberate format change, {@code -Dteleport.golden.update=true} rewrites the files from the
 * values below; review the difference before committing it.
 */
class CrossLanguageGoldenTest {

    static final Path DIRECTORY = Path.of("src/test/resources/teleport-golden");
    private static final boolean UPDATE = Boolean.getBoolean("teleport.golden.update");

    static final Address ADDRESS = new Address("Grüner Weg", "", 7, (short) 0);

    /** Every component kind, ordinary values: ASCII, non-ASCII and astral text, a null string. */
    static final User USER = new User(0x0102030405060708L, 36, true, "Ada 🚀 Lovelace", null,
            List.of(new Address("Main", "10115", 12, (short) 3), ADDRESS), new Address("Home", null, 1, (short) -1),
            Role.WRITER, (byte) -1, (short) 0x1234, 'é', 1.5f, -2.25, new byte[]{(byte) 0xCA, (byte) 0xFE, 0, 127},
            new int[]{1, -1, Integer.MAX_VALUE}, new long[]{Long.MIN_VALUE, 0, Long.MAX_VALUE},
            new boolean[]{true, false, true}, new short[]{-2, Short.MAX_VALUE}, new char[]{'Z', 'ß', '\u20ac'},
            new float[]{0.5f, -0.0f, Float.MIN_VALUE}, new double[]{0.25, Double.MAX_VALUE});

    /** Extremes: the limits of each number type, NaN and infinities, empty arrays, lists and strings. */
    static final User USER_EXTREMES = new User(Long.MIN_VALUE, Integer.MIN_VALUE, false, "", "\u0000",
            List.of(), new Address(null, null, Integer.MAX_VALUE, Short.MIN_VALUE), Role.ADMIN, Byte.MIN_VALUE,
            Short.MAX_VALUE, '\uffff', Float.NaN, Double.NEGATIVE_INFINITY, new byte[0], new int[0],
            new long[]{-1}, new boolean[0], new short[0], new char[0],
            new float[]{Float.POSITIVE_INFINITY, Float.MAX_VALUE}, new double[]{Double.NaN, -0.0, Double.MIN_VALUE});

    static final ProfileV1 PROFILE_V1 = new ProfileV1(42, "ada", List.of(new Address("Main", "10115", 12,
            (short) 3)));

    static final ProfileV2 PROFILE_V2 = new ProfileV2(43, "grace", List.of(), 7, "Rear admiral",
            List.of(ADDRESS, new Address("Pier", "2", 2, (short) 2)), Role.READER, new Address("Arlington", "22201",
            1, (short) 1), new Contact("Vincent", new Address("Yard", null, 9, (short) 9)),
            new GeoPoint(38.8816, -77.0910), new byte[]{1, 2, 3}, new int[]{100, -100});

    private final TeleportBuffer out = TeleportBuffer.allocate(ByteBufAllocator.DEFAULT);

    @AfterEach
    void release() {
        out.release();
    }

    /** The cases, by file name: the record and how the Java writer writes it. */
    static Map<String, Case<?>> cases() {
        Map<String, Case<?>> cases = new LinkedHashMap<>();
        cases.put("user", new Case<>(USER, UserTeleport::write));
        cases.put("user-extremes", new Case<>(USER_EXTREMES, UserTeleport::write));
        cases.put("address", new Case<>(ADDRESS, AddressTeleport::write));
        cases.put("contact", new Case<>(PROFILE_V2.emergency(), ContactTeleport::write));
        cases.put("geo-point", new Case<>(PROFILE_V2.location(), GeoPointTeleport::write));
        cases.put("profile-v1", new Case<>(PROFILE_V1, ProfileV1Teleport::write));
        cases.put("profile-v2", new Case<>(PROFILE_V2, ProfileV2Teleport::write));
        return cases;
    }

    record Case<T extends Record>(T value, BiConsumer<TeleportBuffer, T> writer) {
        byte[] write(TeleportBuffer out) {
            writer.accept(out, value);
            ByteBuf message = out.finish();
            try {
                return ByteBufUtil.getBytes(message);
            } finally {
                message.release();
            }
        }
    }

    @Test
    void javaWriterProducesTheGoldenBytes() throws IOException {
        for (Map.Entry<String, Case<?>> c : cases().entrySet()) {
            byte[] written = c.getValue().write(out);
            Path golden = DIRECTORY.resolve(c.getKey() + ".bin");
            if (UPDATE) {
                Files.createDirectories(DIRECTORY);
                Files.write(golden, written);
            }
            assertThat(ByteBufUtil.hexDump(written)).as("bytes written vs %s", golden)
                    .isEqualTo(ByteBufUtil.hexDump(Files.readAllBytes(golden)));
        }
    }

    @Test
    void valuesJsonDescribesTheGoldenValues() throws IOException {
        StringBuilder json = new StringBuilder("{\n");
        List<String> entries = new ArrayList<>();
        for (Map.Entry<String, Case<?>> c : cases().entrySet()) {
            Record value = c.getValue().value();
            entries.add("  " + string(c.getKey()) + ": {\n    \"type\": " + string(value.getClass().getSimpleName())
                    + ",\n    \"value\": " + json(value, "    ") + "\n  }");
        }
        json.append(String.join(",\n", entries)).append("\n}\n");
        Path file = DIRECTORY.resolve("values.json");
        if (UPDATE) {
            Files.writeString(file, json);
        }
        assertThat(json.toString()).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static String json(Object value, String indent) {
        return switch (value) {
            case null -> "null";
            case Record record -> {
                List<String> fields = new ArrayList<>();
                for (RecordComponent component : record.getClass().getRecordComponents()) {
                    try {
                        fields.add(indent + "  " + string(component.getName()) + ": "
                                + json(component.getAccessor().invoke(record), indent + "  "));
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }
                yield "{\n" + String.join(",\n", fields) + "\n" + indent + "}";
            }
            case List<?> list -> {
                if (list.isEmpty()) {
                    yield "[]";
                }
                List<String> elements = new ArrayList<>();
                for (Object element : list) {
                    elements.add(indent + "  " + json(element, indent + "  "));
                }
                yield "[\n" + String.join(",\n", elements) + "\n" + indent + "]";
            }
            case char[] chars -> string(new String(chars));
            case Character c -> string(String.valueOf(c));
            case String s -> string(s);
            case Enum<?> e -> string(e.name());
            case Long l -> string(Long.toString(l));
            case Float f -> number(f.doubleValue());
            case Double d -> number(d);
            case Boolean b -> b.toString();
            case Number n -> n.toString();
            default -> {
                if (!value.getClass().isArray()) {
                    throw new IllegalArgumentException("no JSON form for " + value.getClass());
                }
                List<String> elements = new ArrayList<>();
                for (int i = 0; i < Array.getLength(value); i++) {
                    elements.add(json(Array.get(value, i), indent));
                }
                yield "[" + String.join(", ", elements) + "]";
            }
        };
    }

    /** A float's exact value as a double, so that JavaScript parses exactly the number that was stored. */
    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "\"NaN\"";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
        }
        if (value == 0 && 1 / value < 0) {
            return "\"-0\"";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static String string(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
