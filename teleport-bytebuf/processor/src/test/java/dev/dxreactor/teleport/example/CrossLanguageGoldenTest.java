package dev.dxreactor.teleport.example;

import dev.dxreactor.teleport.TeleportBuffer;
import dev.dxreactor.teleport.TeleportFormatException;
import dev.dxreactor.teleport.TeleportHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden messages both languages are held to: {@code src/test/resources/teleport-golden/<name>.bin},
 * written by the Java writer from the values below, and {@code values.json}, those values as JSON. This test
 * checks that the Java writer still produces exactly those bytes and that the JSON still describes these
 * values; {@link TypeScriptViewsTest} reads the same files with the generated TypeScript views and writes
 * them again with the generated TypeScript writers. Damaged variants ({@link #hostile()}) are refused by both
 * with the same message.
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

    /**
     * Damaged variants of golden messages, each made by {@code damage} from its base message: the Java view
     * refuses each with a message that names {@code expected}, and {@code hostile/<name>.bin} and
     * {@code hostile.json} (type, whether UTF-8 is validated, and the Java view's exact message) hold them
     * for the TypeScript views, which must refuse them with the same message.
     */
    static List<Hostile> hostile() {
        return List.of(
                new Hostile("truncated", "user", false, "message length 345", m -> Arrays.copyOf(m, m.length - 1)),
                new Hostile("length-past-end", "user", false, "message length 346", m -> u32(m, 12, m.length + 1)),
                new Hostile("wrong-template", "user", false, "template 9", m -> u16(m, 2, 9)),
                new Hostile("block-too-short", "user", false, "block length 8", m -> u16(m, 0, 8)),
                new Hostile("string-table-in-block", "user", false, "string table offset 20", m -> u32(m, 8, 20)),
                new Hostile("string-past-table", "user", false, "User.name: string",
                        m -> u32(m, at(UserLayout.NAME_OFFSET), tableLength(m))),
                new Hostile("string-length-past-table", "user", false, "User.name: string",
                        m -> u32(m, at(UserLayout.NAME_OFFSET) + 4, tableLength(m) + 1)),
                new Hostile("nested-string-past-table", "user", false, "Address.street: string",
                        m -> u32(m, listStart(m, UserLayout.ADDRESSES_OFFSET) + 4, tableLength(m) + 1)),
                new Hostile("slice-past-area", "user", false, "User.friends: slice of 1000 x 4",
                        m -> u32(m, at(UserLayout.FRIENDS_OFFSET) + 4, 1000)),
                new Hostile("slice-misaligned", "user", false, "User.friends: slice of 3 x 4",
                        m -> u32(m, at(UserLayout.FRIENDS_OFFSET), listStart(m, UserLayout.FRIENDS_OFFSET) + 2)),
                new Hostile("slice-in-block", "user", false, "User.avatar: slice",
                        m -> u32(m, at(UserLayout.AVATAR_OFFSET), 16)),
                new Hostile("slice-count-huge", "user", false, "User.history: slice",
                        m -> u32(m, at(UserLayout.HISTORY_OFFSET) + 4, -1)),
                new Hostile("slices-overlap", "user", false, "User.avatar: slices overlap", m -> {
                    // The byte slice covers the whole slice area: in bounds on its own, over every other slice.
                    int area = at(UserLayout.BLOCK_LENGTH);
                    return u32(u32(m, at(UserLayout.AVATAR_OFFSET), area), at(UserLayout.AVATAR_OFFSET) + 4,
                            u32(m, 8) - area);
                }),
                new Hostile("enum-ordinal", "user", false, "User.role: enum ordinal 3",
                        m -> u8(m, at(UserLayout.ROLE_OFFSET), 3)),
                new Hostile("appended-enum-ordinal", "profile-v2", false, "ProfileV2.role: enum ordinal 255",
                        m -> u8(m, at(ProfileV2Layout.ROLE_OFFSET), 255)),
                new Hostile("malformed-utf8", "address", true, "Address.street: string is not well-formed UTF-8",
                        // The second byte of the ü in "Grüner Weg", first in the string table.
                        m -> u8(m, u32(m, 8) + 3, 'A')));
    }

    record Hostile(String name, String base, boolean validateUtf8, String expected, UnaryOperator<byte[]> damage) {
    }

    @Test
    void javaViewsRefuseTheHostileVariants() throws IOException {
        Map<String, Case<?>> cases = cases();
        StringBuilder json = new StringBuilder("{\n");
        List<String> entries = new ArrayList<>();
        for (Hostile h : hostile()) {
            byte[] message = h.damage().apply(Files.readAllBytes(DIRECTORY.resolve(h.base() + ".bin")));
            String type = cases.get(h.base()).value().getClass().getSimpleName();
            String error = javaError(type, message, h.validateUtf8());
            assertThat(error).as(h.name()).contains(h.expected());
            Path file = DIRECTORY.resolve("hostile/" + h.name() + ".bin");
            if (UPDATE) {
                Files.createDirectories(file.getParent());
                Files.write(file, message);
            }
            assertThat(ByteBufUtil.hexDump(message)).as("bytes of %s", file)
                    .isEqualTo(ByteBufUtil.hexDump(Files.readAllBytes(file)));
            entries.add("  " + string(h.name()) + ": {\n    \"type\": " + string(type) + ",\n    \"validateUtf8\": "
                    + h.validateUtf8() + ",\n    \"error\": " + string(error) + "\n  }");
        }
        json.append(String.join(",\n", entries)).append("\n}\n");
        Path file = DIRECTORY.resolve("hostile.json");
        if (UPDATE) {
            Files.writeString(file, json);
        }
        assertThat(json.toString()).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The message of the {@link TeleportFormatException} the Java view of {@code type} refuses {@code message} with. */
    private static String javaError(String type, byte[] message, boolean validateUtf8) {
        ByteBuf buf = Unpooled.wrappedBuffer(message);
        try {
            switch (type) {
                case "User" -> new UserView().validateUtf8(validateUtf8).rewrap(buf, 0);
                case "Address" -> new AddressView().validateUtf8(validateUtf8).rewrap(buf, 0);
                case "ProfileV2" -> new ProfileV2View().validateUtf8(validateUtf8).rewrap(buf, 0);
                default -> throw new IllegalArgumentException("no hostile variants of " + type);
            }
        } catch (TeleportFormatException e) {
            return e.getMessage();
        } finally {
            buf.release();
        }
        throw new AssertionError(type + " view accepted a hostile message");
    }

    /** Where a block offset lies in a whole message: after the header. */
    private static int at(int blockOffset) {
        return TeleportHeader.SIZE + blockOffset;
    }

    private static int tableLength(byte[] message) {
        return message.length - u32(message, TeleportHeader.STRING_TABLE_OFFSET);
    }

    /** The offset of the first element of the slice referenced at block offset {@code refOffset}. */
    private static int listStart(byte[] message, int refOffset) {
        return u32(message, at(refOffset));
    }

    private static int u32(byte[] message, int at) {
        return ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    private static byte[] u32(byte[] message, int at, int value) {
        byte[] copy = message.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        return copy;
    }

    private static byte[] u16(byte[] message, int at, int value) {
        byte[] copy = message.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) value);
        return copy;
    }

    private static byte[] u8(byte[] message, int at, int value) {
        byte[] copy = message.clone();
        copy[at] = (byte) value;
        return copy;
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
