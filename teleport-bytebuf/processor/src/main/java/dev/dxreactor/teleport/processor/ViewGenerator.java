package dev.dxreactor.teleport.processor;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.dxreactor.teleport.TeleportReader;
import dev.dxreactor.teleport.TeleportString;
import dev.dxreactor.teleport.TeleportView;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import javax.lang.model.element.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Generates {@code XxxView}: a flyweight over a message (or a block nested in one) with a getter per
 * component at a constant offset, the one-time validation behind {@code wrap}, and {@code toRecord()}.
 */
final class ViewGenerator {

    private static final ClassName BYTE_BUF = ClassName.get(ByteBuf.class);

    /** The methods every generated view has besides its components' accessors, which those must not take. */
    static final List<String> VIEW_METHODS = List.of("wrap", "rewrap", "moveTo", "validate", "validateUtf8",
            "messageVersion", "toRecord");

    private final TypeModel model;
    private final ClassName view;
    private final ClassName layout;

    private ViewGenerator(TypeModel model) {
        this.model = model;
        this.view = model.viewClass();
        this.layout = model.layoutClass();
    }

    static TypeSpec generate(TypeModel model) {
        return new ViewGenerator(model).generate();
    }

    private TypeSpec generate() {
        TypeSpec.Builder type = TypeSpec.classBuilder(view)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(ParameterizedTypeName.get(ClassName.get(TeleportView.class), view))
                .addJavadoc(CodeBlock.builder()
                        .add("Reads {@link $T} messages in place: each getter is one read at a constant offset, with"
                                + " no copy and no parse.\n\n", model.record())
                        .add("<p>{@code wrap} validates the whole message once; after that no getter checks or throws"
                                + " because of the bytes. A view, and every nested view, string slice or list it hands"
                                + " out, is valid only while the wrapped buffer is: the view does not retain or"
                                + " release it. Nested views and list elements are flyweights: one object re-pointed"
                                + " on each call. Generated from the record by the teleport processor.\n")
                        .build());
        for (FieldModel field : model.fields()) {
            if (field.kind() == FieldModel.Kind.ENUM) {
                type.addField(FieldSpec.builder(ArrayTypeName.of(field.type()), enumValues(field),
                                Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("$T.values()", field.type()).build());
            }
        }
        type.addField(TeleportReader.class, "reader", Modifier.PRIVATE, Modifier.FINAL)
                .addField(ByteBuffer.class, "memory", Modifier.PRIVATE)
                .addField(TypeName.INT, "at", Modifier.PRIVATE);
        for (FieldModel field : model.fields()) {
            if (field.kind() == FieldModel.Kind.STRUCT) {
                type.addField(field.nested().viewClass(), nestedView(field), Modifier.PRIVATE, Modifier.FINAL);
            } else if (field.kind() == FieldModel.Kind.STRUCT_LIST) {
                type.addField(slice(field), nestedView(field), Modifier.PRIVATE, Modifier.FINAL);
            } else if (field.kind() == FieldModel.Kind.STRING) {
                type.addField(TeleportString.class, field.textAccessor(), Modifier.PRIVATE, Modifier.FINAL);
            }
        }
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                        .addJavadoc("An unwrapped view, to {@link #rewrap} messages with.\n")
                        .addStatement("this(new $T())", TeleportReader.class).build())
                .addMethod(sharedReaderConstructor())
                .addMethod(staticWrap(false))
                .addMethod(staticWrap(true))
                .addMethod(MethodSpec.methodBuilder("validateUtf8").addModifiers(Modifier.PUBLIC)
                        .addJavadoc("Also check, when wrapping, that every string is well-formed UTF-8.\n")
                        .addParameter(TypeName.BOOLEAN, "validate").returns(view)
                        .addStatement("reader.validateUtf8(validate)").addStatement("return this").build())
                .addMethod(rewrap())
                .addMethod(MethodSpec.methodBuilder("moveTo").addModifiers(Modifier.PUBLIC)
                        .addJavadoc("Points this view at the block at {@code at} of the message its reader holds, which"
                                + " was validated; for generated code.\n")
                        .addParameter(TypeName.INT, "at").returns(view)
                        // A reference store costs a GC write barrier even when the value is the same, and
                        // every list element moves the view: store the memory only when it changed.
                        .addStatement("$T memory = reader.memory()", ByteBuffer.class)
                        .beginControlFlow("if (this.memory != memory)")
                        .addStatement("this.memory = memory")
                        .endControlFlow()
                        .addStatement("this.at = at")
                        .addStatement("return this").build())
                .addMethod(MethodSpec.methodBuilder("messageVersion").addModifiers(Modifier.PUBLIC)
                        .addJavadoc("The version of {@link $T} the message was written with.\n", model.record())
                        .returns(TypeName.INT).addStatement("return reader.version()").build())
                .addMethod(validate());
        for (FieldModel field : model.fields()) {
            getters(type, field);
        }
        type.addMethod(toRecord());
        type.addType(sliceType());
        return type.build();
    }

    private MethodSpec sharedReaderConstructor() {
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("A view sharing {@code reader} with the view it is nested in; for generated code.\n")
                .addParameter(TeleportReader.class, "reader")
                .addStatement("this.reader = reader");
        for (FieldModel field : model.fields()) {
            if (field.kind() == FieldModel.Kind.STRUCT) {
                constructor.addStatement("this.$L = new $T(reader)", nestedView(field), field.nested().viewClass());
            } else if (field.kind() == FieldModel.Kind.STRUCT_LIST) {
                constructor.addStatement("this.$L = new $T(reader)", nestedView(field), slice(field));
            } else if (field.kind() == FieldModel.Kind.STRING) {
                constructor.addStatement("this.$L = new $T(reader)", field.textAccessor(), TeleportString.class);
            }
        }
        return constructor.build();
    }

    private MethodSpec staticWrap(boolean withOffset) {
        MethodSpec.Builder wrap = MethodSpec.methodBuilder("wrap").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(view).addParameter(BYTE_BUF, "buf");
        if (withOffset) {
            return wrap.addJavadoc("A new view of the message at {@code offset} of {@code buf}, validated.\n\n"
                            + "@throws $T when the bytes are not a valid message of this type\n",
                            ClassName.get("dev.dxreactor.teleport", "TeleportFormatException"))
                    .addParameter(TypeName.INT, "offset")
                    .addStatement("return new $T().rewrap(buf, offset)", view).build();
        }
        return wrap.addJavadoc("A new view of the message at the reader index of {@code buf}, validated.\n\n"
                        + "@throws $T when the bytes are not a valid message of this type\n",
                        ClassName.get("dev.dxreactor.teleport", "TeleportFormatException"))
                .addStatement("return new $T().rewrap(buf, buf.readerIndex())", view).build();
    }

    private MethodSpec rewrap() {
        return MethodSpec.methodBuilder("rewrap").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(view).addParameter(BYTE_BUF, "buf").addParameter(TypeName.INT, "offset")
                .addStatement("reader.wrap(buf, offset, $T.SCHEMA_ID, $T.TEMPLATE_ID,$W$T.MIN_BLOCK_LENGTH)", layout,
                        layout, layout)
                .addStatement("validate(reader, reader.block())")
                .addStatement("return moveTo(reader.block())")
                .build();
    }

    private MethodSpec validate() {
        MethodSpec.Builder validate = MethodSpec.methodBuilder("validate")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("Checks every reference and enum of the block at {@code at}; for generated code.\n")
                .addParameter(TeleportReader.class, "reader").addParameter(TypeName.INT, "at");
        for (FieldModel field : model.fields()) {
            if (!field.needsValidation()) {
                continue;
            }
            if (field.since() > 1) {
                validate.beginControlFlow("if (reader.blockLength() >= $L)", end(field));
            }
            String offset = offset(field);
            String name = model.simpleName() + "." + field.name();
            switch (field.kind()) {
                case STRING -> validate.addStatement("reader.checkString($L,$W$S)", offset, name);
                case ENUM -> validate.addStatement("reader.checkEnum($L, $L, $L,$W$S)", offset, field.size(),
                        field.constants(), name);
                case BYTES, PRIMITIVE_ARRAY -> validate.addStatement("reader.checkSlice($L, $L, $L,$W$S)", offset,
                        field.elementSize(), field.elementSize(), name);
                case STRUCT -> validate.addStatement("$T.validate(reader, $L)", field.nested().viewClass(), offset);
                case STRUCT_LIST -> {
                    ClassName nestedLayout = field.nested().layoutClass();
                    if (!field.nested().needsValidation()) {
                        validate.addStatement("reader.checkSlice($L,$W$T.STRIDE, $T.ALIGNMENT, $S)", offset,
                                nestedLayout, nestedLayout, name);
                    } else {
                        validate.addStatement("int $LCount = reader.checkSlice($L,$W$T.STRIDE, $T.ALIGNMENT, $S)",
                                        field.name(), offset, nestedLayout, nestedLayout, name)
                                .addStatement("int $LAt = reader.sliceStart($L)", field.name(), offset)
                                .beginControlFlow("for (int i = 0; i < $LCount; i++)", field.name())
                                .addStatement("$T.validate(reader, $LAt + i * $T.STRIDE)", field.nested().viewClass(),
                                        field.name(), nestedLayout)
                                .endControlFlow();
                    }
                }
                default -> throw new IllegalStateException(field.kind() + " needs no validation");
            }
            if (field.since() > 1) {
                validate.endControlFlow();
            }
        }
        return validate.build();
    }

    private void getters(TypeSpec.Builder type, FieldModel field) {
        String offset = offset(field);
        String since = field.since() > 1 ? " Absent (written before version " + field.since() + "): " : "";
        switch (field.kind()) {
            case PRIMITIVE -> type.addMethod(getter(field, field.type(),
                    Types.read(field.element(), "memory", offset), Types.zero(field.element()),
                    "{@code " + field.name() + "}." + (since.isEmpty() ? "" : since + Types.zero(field.element()) + ".")));
            case ENUM -> type.addMethod(getter(field, field.type(),
                    enumValues(field) + "[reader.enumOrdinal(" + offset + ", " + field.size() + ")]", "null",
                    "{@code " + field.name() + "}." + (since.isEmpty() ? "" : since + "null.")));
            case STRING -> {
                type.addMethod(getter(field, ClassName.get(String.class), "reader.string(" + offset + ")", "null",
                        "{@code " + field.name() + "}, decoded from UTF-8 (a new String each call); null when it was"
                                + " written null." + (since.isEmpty() ? "" : since + "null.")));
                type.addMethod(accessor(field, field.textAccessor(), ClassName.get(TeleportString.class),
                        "reader.text(" + offset + ", " + field.textAccessor() + ")", "null",
                        "{@code " + field.name() + "} in place, as characters: the same {@link TeleportString} on"
                                + " every call, re-pointed (no copy, no allocation); null when it was written null."
                                + (since.isEmpty() ? "" : since + "null.")));
                type.addMethod(accessor(field, field.utf8Accessor(), BYTE_BUF, "reader.stringBytes(" + offset + ")",
                        "null", "The UTF-8 bytes of {@code " + field.name() + "} as a slice of the message: no copy,"
                                + " no decoding." + (since.isEmpty() ? "" : since + "null.")));
            }
            case BYTES -> {
                type.addMethod(getter(field, BYTE_BUF, "reader.sliceBytes(" + offset + ")",
                        "$T.EMPTY_BUFFER", "{@code " + field.name() + "} as a slice of the message: no copy."
                                + (since.isEmpty() ? "" : since + "empty."), Unpooled.class));
                type.addMethod(accessor(field, field.lengthAccessor(), TypeName.INT,
                        "reader.sliceCount(" + offset + ")", "0", "Bytes in {@code " + field.name() + "}."
                                + (since.isEmpty() ? "" : since + "0.")));
            }
            case PRIMITIVE_ARRAY -> {
                type.addMethod(accessor(field, field.lengthAccessor(), TypeName.INT,
                        "reader.sliceCount(" + offset + ")", "0", "Elements in {@code " + field.name() + "}."
                                + (since.isEmpty() ? "" : since + "0.")));
                type.addMethod(MethodSpec.methodBuilder(field.name()).addModifiers(Modifier.PUBLIC)
                        .addJavadoc("Element {@code index} of {@code $L}.\n\n@throws IndexOutOfBoundsException"
                                + " unless {@code 0 <= index < $L()}\n", field.name(), field.lengthAccessor())
                        .addParameter(TypeName.INT, "index").returns(field.element())
                        .addStatement("$T.checkIndex(index, $L())", Objects.class, field.lengthAccessor())
                        .addStatement("return " + Types.read(field.element(), "memory",
                                "reader.sliceStart(" + offset + ") + index * " + field.elementSize()))
                        .build());
            }
            case STRUCT -> type.addMethod(getter(field, field.nested().viewClass(),
                    nestedView(field) + ".moveTo(" + offset + ")", "null",
                    "{@code " + field.name() + "}, read in place: the same view object on every call."
                            + (since.isEmpty() ? "" : since + "null.")));
            case STRUCT_LIST -> type.addMethod(getter(field, slice(field),
                    nestedView(field) + ".moveTo(reader.sliceStart(" + offset + "),$Wreader.sliceCount(" + offset + "))",
                    nestedView(field) + ".moveTo(0, 0)",
                    "The elements of {@code " + field.name() + "}, read in place: the same list object on every"
                            + " call." + (since.isEmpty() ? "" : since + "empty.")));
        }
        if (field.since() > 1) {
            type.addMethod(MethodSpec.methodBuilder(field.hasAccessor()).addModifiers(Modifier.PUBLIC)
                    .addJavadoc("Whether the message has {@code $L}: false when it was written by version $L or"
                            + " older.\n", field.name(), field.since() - 1)
                    .returns(TypeName.BOOLEAN)
                    .addStatement("return reader.blockLength() >= $L", end(field)).build());
        }
    }

    private MethodSpec getter(FieldModel field, TypeName returns, String read, String absent, String javadoc,
                              Object... args) {
        return accessor(field, field.name(), returns, read, absent, javadoc, args);
    }

    /**
     * A read of {@code field}. A component added after version 1 answers {@code absent} when the writer's block
     * ends before it: the bytes there are not the message's (they may be the next message's, or any bytes
     * after the buffer's end), so nothing of the component, nested references included, may be read.
     */
    private MethodSpec accessor(FieldModel field, String name, TypeName returns, String read, String absent,
                                String javadoc, Object... args) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC).returns(returns)
                .addJavadoc(javadoc + "\n");
        if (field.since() > 1) {
            method.addStatement("return reader.blockLength() >= " + end(field) + "$W? " + read + "$W: " + absent, args);
        } else {
            method.addStatement("return " + read);
        }
        return method.build();
    }

    private MethodSpec toRecord() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("toRecord").addModifiers(Modifier.PUBLIC)
                .addJavadoc("A copy of the message as a {@link $T}, independent of the buffer.\n", model.record())
                .returns(model.record());
        List<CodeBlock> arguments = new ArrayList<>();
        for (FieldModel field : model.fields()) {
            String name = field.name();
            switch (field.kind()) {
                case PRIMITIVE, ENUM, STRING -> arguments.add(CodeBlock.of("$L()", name));
                case BYTES -> arguments.add(CodeBlock.of("$T.getBytes($L())", ByteBufUtil.class, name));
                case PRIMITIVE_ARRAY -> {
                    method.addStatement("$T $L = new $T[$L()]", field.type(), name, field.element(),
                                    field.lengthAccessor())
                            .beginControlFlow("for (int i = 0; i < $L.length; i++)", name)
                            .addStatement("$L[i] = $L(i)", name, name)
                            .endControlFlow();
                    arguments.add(CodeBlock.of("$L", name));
                }
                case STRUCT -> arguments.add(field.since() > 1
                        ? CodeBlock.of("$L() ? $L().toRecord() : null", field.hasAccessor(), name)
                        : CodeBlock.of("$L().toRecord()", name));
                case STRUCT_LIST -> {
                    method.addStatement("$T $LSlice = $L()", slice(field), name, name)
                            .addStatement("$T<$T> $L = new $T<>($LSlice.size())", List.class, field.nested().record(),
                                    name, ArrayList.class, name)
                            .beginControlFlow("for (int i = 0; i < $LSlice.size(); i++)", name)
                            .addStatement("$L.add($LSlice.get(i).toRecord())", name, name)
                            .endControlFlow();
                    arguments.add(CodeBlock.of("$L", name));
                }
            }
        }
        return method.addStatement("return new $T($L)", model.record(), CodeBlock.join(arguments, ",$W")).build();
    }

    private TypeSpec sliceType() {
        ClassName slice = view.nestedClass("Slice");
        return TypeSpec.classBuilder(slice).addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The elements of a {@code List<$T>} component, read in place. {@link #get} re-points one"
                        + " shared view, so keep what you need from an element before getting the next.\n",
                        model.record())
                .addField(view, "element", Modifier.PRIVATE, Modifier.FINAL)
                .addField(TypeName.INT, "start", Modifier.PRIVATE)
                .addField(TypeName.INT, "size", Modifier.PRIVATE)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                        .addJavadoc("Elements of the message {@code reader} holds; for generated code.\n")
                        .addParameter(TeleportReader.class, "reader")
                        .addStatement("this.element = new $T(reader)", view).build())
                .addMethod(MethodSpec.methodBuilder("moveTo").addModifiers(Modifier.PUBLIC)
                        .addJavadoc("Points at {@code size} elements from {@code start}; for generated code.\n")
                        .addParameter(TypeName.INT, "start").addParameter(TypeName.INT, "size").returns(slice)
                        .addStatement("this.start = start").addStatement("this.size = size")
                        .addStatement("return this").build())
                .addMethod(MethodSpec.methodBuilder("size").addModifiers(Modifier.PUBLIC).returns(TypeName.INT)
                        .addStatement("return size").build())
                .addMethod(MethodSpec.methodBuilder("isEmpty").addModifiers(Modifier.PUBLIC).returns(TypeName.BOOLEAN)
                        .addStatement("return size == 0").build())
                .addMethod(MethodSpec.methodBuilder("get").addModifiers(Modifier.PUBLIC)
                        .addJavadoc("Element {@code index}: the shared element view, moved there.\n\n"
                                + "@throws IndexOutOfBoundsException unless {@code 0 <= index < size()}\n")
                        .addParameter(TypeName.INT, "index").returns(view)
                        .addStatement("$T.checkIndex(index, size)", Objects.class)
                        .addStatement("return element.moveTo(start + index * $T.STRIDE)", layout).build())
                .build();
    }

    private String offset(FieldModel field) {
        return "at + " + layout.simpleName() + "." + field.offsetConstant();
    }

    /** The block length a message needs to have {@code field}. */
    private String end(FieldModel field) {
        return layout.simpleName() + "." + field.offsetConstant() + " + " + field.size();
    }

    private static String enumValues(FieldModel field) {
        return field.offsetConstant().replace("_OFFSET", "_VALUES");
    }

    private static String nestedView(FieldModel field) {
        return field.name() + (field.kind() == FieldModel.Kind.STRUCT ? "View" : "Slice");
    }

    private static ClassName slice(FieldModel field) {
        return field.nested().viewClass().nestedClass("Slice");
    }
}
