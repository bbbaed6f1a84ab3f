package dev.dxreactor.teleport.processor;

import com.palantir.javapoet.TypeName;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One record component as stored: what kind of value, where in the block, how big.
 *
 * @param name        the component's name
 * @param kind        how it is stored
 * @param type        the component's Java type
 * @param element     for primitives and primitive arrays, the primitive ({@code int} for {@code int[]});
 *                    for enums the enum type; for nested records the nested type's model's record
 * @param nested      the nested record's model, for {@link Kind#STRUCT} and {@link Kind#STRUCT_LIST}
 * @param constants   for enums, how many constants there are
 * @param offset      from the start of the block
 * @param size        bytes in the block
 * @param since       the version that added it; 1 for the original components
 */
record FieldModel(String name, Kind kind, TypeName type, TypeName element, TypeModel nested, int constants,
                  int offset, int size, int since) {

    enum Kind {
        PRIMITIVE, ENUM, STRING, BYTES, PRIMITIVE_ARRAY, STRUCT, STRUCT_LIST;

        String describe() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** {@code emailAddress} gives {@code EMAIL_ADDRESS_OFFSET}. */
    String offsetConstant() {
        return upperSnake(name) + "_OFFSET";
    }

    /** The name for {@code hasXxx()} and derived accessors: {@code email} gives {@code Email}. */
    String capitalized() {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** The methods a view has for this component: its getter and the accessors derived from its name. */
    List<String> accessorNames() {
        List<String> names = new ArrayList<>();
        names.add(name);
        switch (kind) {
            case STRING -> {
                names.add(textAccessor());
                names.add(utf8Accessor());
            }
            case BYTES, PRIMITIVE_ARRAY -> names.add(lengthAccessor());
            default -> {
            }
        }
        if (since > 1) {
            names.add(hasAccessor());
        }
        return names;
    }

    /** A string's in-place accessor, {@code nameText()}, and the view's field behind it. */
    String textAccessor() {
        return name + "Text";
    }

    /** A string's UTF-8 slice accessor, {@code nameUtf8()}. */
    String utf8Accessor() {
        return name + "Utf8";
    }

    /** An array's element count accessor, {@code xsLength()}. */
    String lengthAccessor() {
        return name + "Length";
    }

    /** Whether a component added after version 1 is present, {@code hasName()}. */
    String hasAccessor() {
        return "has" + capitalized();
    }

    boolean needsValidation() {
        return switch (kind) {
            case PRIMITIVE -> false;
            case STRUCT -> nested.needsValidation();
            default -> true;
        };
    }

    /** Bytes of one element of a primitive array (1 for {@code byte[]} and {@code boolean[]}). */
    int elementSize() {
        return Types.primitiveSize(element);
    }

    /** A readable name of the stored type, for layout files and messages. */
    String typeDescription() {
        return switch (kind) {
            case STRUCT -> nested.record().canonicalName();
            case STRUCT_LIST -> "list " + nested.record().canonicalName();
            case ENUM -> "enum " + element + " " + constants;
            default -> type.toString();
        };
    }

    private static String upperSnake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                sb.append('_');
            }
            sb.append(Character.toUpperCase(c));
        }
        return sb.toString();
    }
}
