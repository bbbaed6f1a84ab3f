package dev.dxreactor.teleport.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.dxreactor.teleport.TeleportBuffer;

import javax.lang.model.element.Modifier;
import java.util.List;
import java.util.Objects;

/** Generates {@code XxxTeleport}: writes a record as a whole message, or as a block inside another. */
final class WriterGenerator {

    private WriterGenerator() {
    }

    static TypeSpec generate(TypeModel model) {
        ClassName layout = model.layoutClass();
        MethodSpec write = MethodSpec.methodBuilder("write")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("Writes {@code value} as a whole message into {@code out}; {@code out.finish()} hands"
                        + " it over.\n\n@throws NullPointerException when a nested record is null (nested"
                        + " records are stored inline and have no null)\n")
                .addParameter(TeleportBuffer.class, "out")
                .addParameter(model.record(), "value")
                .addStatement("int at = out.beginMessage($T.SCHEMA_ID, $T.TEMPLATE_ID,$W$T.VERSION, $T.BLOCK_LENGTH)",
                        layout, layout, layout, layout)
                .addStatement("writeBlock(out, at, value)")
                .build();

        MethodSpec.Builder block = MethodSpec.methodBuilder("writeBlock")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("Writes the components of {@code value} into the block at {@code at}: for the writers"
                        + " of messages that nest {@link $T}.\n", model.record())
                .addParameter(TeleportBuffer.class, "out")
                .addParameter(TypeName.INT, "at")
                .addParameter(model.record(), "value");
        for (FieldModel field : model.fields()) {
            String offset = "at + " + layout.simpleName() + "." + field.offsetConstant();
            String value = "value." + field.name() + "()";
            switch (field.kind()) {
                case PRIMITIVE -> block.addStatement("out.$L($L, $L)", Types.put(field.element()), offset, value);
                case ENUM -> block.addStatement("out.putEnum($L, $L,$W$T.requireNonNull($L, $S))", offset,
                        field.size(), Objects.class, value, nullMessage(model, field));
                case STRING -> block.addStatement("out.writeString($L, $L)", offset, value);
                case BYTES, PRIMITIVE_ARRAY -> block.addStatement("out.$L($L, $L)",
                        Types.writeArray(field.element()), offset, value);
                case STRUCT -> block.addStatement("$T.writeBlock(out, $L,$W$T.requireNonNull($L, $S))",
                        field.nested().teleportClass(), offset, Objects.class, value, nullMessage(model, field));
                case STRUCT_LIST -> writeList(block, model, field, offset, value);
            }
        }
        return TypeSpec.classBuilder(model.teleportClass())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("Writes {@link $T} values as teleport messages. Generated from the record by the teleport"
                        + " processor.\n", model.record())
                .addMethod(write)
                .addMethod(block.build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
                .build();
    }

    private static void writeList(MethodSpec.Builder block, TypeModel model, FieldModel field, String offset,
                                  String value) {
        ClassName nestedLayout = field.nested().layoutClass();
        String list = field.name() + "List";
        block.addStatement("$T<$T> $L = $L", List.class, field.nested().record(), list, value)
                .addStatement("int $LCount = $L == null ? 0 : $L.size()", list, list, list)
                .addStatement("int $LAt = out.writeSlice($L, $LCount,$W$T.STRIDE, $T.ALIGNMENT)", list, offset, list,
                        nestedLayout, nestedLayout)
                .beginControlFlow("for (int i = 0; i < $LCount; i++)", list)
                .addStatement("$T.writeBlock(out, $LAt + i * $T.STRIDE,$W$T.requireNonNull($L.get(i), $S))",
                        field.nested().teleportClass(), list, nestedLayout, Objects.class, list,
                        model.simpleName() + "." + field.name() + " has a null element")
                .endControlFlow();
    }

    private static String nullMessage(TypeModel model, FieldModel field) {
        return model.simpleName() + "." + field.name() + " is null; " + field.kind().describe()
                + " components cannot be null";
    }
}
