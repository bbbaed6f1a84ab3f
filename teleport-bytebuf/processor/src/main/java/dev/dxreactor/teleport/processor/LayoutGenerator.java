package dev.dxreactor.teleport.processor;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.dxreactor.teleport.TeleportLayout;

import javax.lang.model.element.Modifier;

/** Generates {@code XxxLayout}: the ids, the block's sizes and each component's offset as constants. */
final class LayoutGenerator {

    private LayoutGenerator() {
    }

    static TypeSpec generate(TypeModel model) {
        TeleportLayout layout = model.layout();
        TypeSpec.Builder type = TypeSpec.classBuilder(model.layoutClass())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("Where the components of {@link $T} sit in a teleport message. Generated from the record"
                        + " by the teleport processor.\n", model.record())
                .addField(constant("SCHEMA_ID", model.schemaId(), "The schema this type belongs to."))
                .addField(constant("TEMPLATE_ID", model.templateId(), "This type within its schema."))
                .addField(constant("VERSION", model.version(), "The version these offsets describe."))
                .addField(constant("BLOCK_LENGTH", layout.blockLength(),
                        "Bytes from the start of the block to the end of the last component."))
                .addField(constant("MIN_BLOCK_LENGTH", model.minBlockLength(),
                        "The block length of version 1: what every message of this type has."))
                .addField(constant("ALIGNMENT", layout.alignment(), "The largest alignment of any component."))
                .addField(constant("STRIDE", layout.stride(),
                        "Distance between blocks of this type side by side (nested, or in a list)."));
        for (FieldModel field : model.fields()) {
            type.addField(constant(field.offsetConstant(), field.offset(),
                    "Offset of {@code " + field.name() + "} (" + field.typeDescription() + ", " + field.size()
                            + " bytes" + (field.since() > 1 ? ", since version " + field.since() : "")
                            + ") from the start of the block."));
        }
        CodeBlock.Builder build = CodeBlock.builder().add("$T.Builder builder = $T.builder();\n",
                TeleportLayout.class, TeleportLayout.class);
        for (TeleportLayout.Field f : layout.fields()) {
            build.addStatement("builder.add($S, $L, $L)", f.name(), f.size(), f.alignment());
        }
        build.addStatement("return builder.build()");
        type.addField(FieldSpec.builder(TeleportLayout.class, "LAYOUT", Modifier.PUBLIC, Modifier.STATIC,
                        Modifier.FINAL)
                .addJavadoc("The same layout as an object, for code that inspects layouts.\n")
                .initializer("layout()").build());
        type.addMethod(MethodSpec.methodBuilder("layout").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(TeleportLayout.class).addCode(build.build()).build());
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        return type.build();
    }

    private static FieldSpec constant(String name, int value, String javadoc) {
        return FieldSpec.builder(TypeName.INT, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc(javadoc + "\n").initializer("$L", value).build();
    }
}
