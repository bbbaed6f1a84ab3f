package dev.dxreactor.teleport.processor;

import com.palantir.javapoet.TypeName;


/** Sizes and buffer accessors of the primitive types, in one place for the layout and the generators. */
final class Types {

    private Types() {
    }

    static int primitiveSize(TypeName primitive) {
        if (primitive.equals(TypeName.BOOLEAN) || primitive.equals(TypeName.BYTE)) {
            return 1;
        }
        if (primitive.equals(TypeName.SHORT) || primitive.equals(TypeName.CHAR)) {
            return 2;
        }
        if (primitive.equals(TypeName.INT) || primitive.equals(TypeName.FLOAT)) {
            return 4;
        }
        return 8;
    }

    /**
     * An expression reading a {@code primitive} from the little-endian {@code ByteBuffer} {@code memory} at
     * position expression {@code at}.
     */
    static String read(TypeName primitive, String memory, String at) {
        if (primitive.equals(TypeName.BOOLEAN)) {
            return memory + ".get(" + at + ") != 0";
        }
        String getter = primitive.equals(TypeName.BYTE) ? "get" : "get" + capitalizedName(primitive);
        return memory + "." + getter + "(" + at + ")";
    }

    /** The {@code TeleportBuffer.putXxx} method for a primitive. */
    static String put(TypeName primitive) {
        return "put" + capitalizedName(primitive);
    }

    /** The {@code TeleportBuffer.writeXxxs} method for an array of a primitive. */
    static String writeArray(TypeName primitive) {
        return primitive.equals(TypeName.BYTE) ? "writeBytes" : "write" + capitalizedName(primitive) + "s";
    }

    /** The value a missing component of this primitive type reads as. */
    static String zero(TypeName primitive) {
        if (primitive.equals(TypeName.BOOLEAN)) {
            return "false";
        }
        if (primitive.equals(TypeName.CHAR)) {
            return "'\\0'";
        }
        if (primitive.equals(TypeName.LONG)) {
            return "0L";
        }
        if (primitive.equals(TypeName.FLOAT)) {
            return "0f";
        }
        if (primitive.equals(TypeName.DOUBLE)) {
            return "0d";
        }
        if (primitive.equals(TypeName.BYTE) || primitive.equals(TypeName.SHORT)) {
            return "(" + primitive + ") 0";
        }
        return "0";
    }

    private static String capitalizedName(TypeName primitive) {
        String name = primitive.toString();
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
