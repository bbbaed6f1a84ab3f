package dev.dxreactor.teleport.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;

import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

/**
 * Generates the TypeScript twin of a record's Java code, {@code Xxx.ts}: the record as an interface,
 * {@code XxxLayout}, {@code XxxView} (reads a message in a {@code Uint8Array}, validated as the Java
 * {@code wrap} validates it) and {@code XxxTeleport} (writes the same bytes as the Java writer). The files
 * import the shared runtime {@value #RUNTIME}, which sits at the root of the TypeScript tree.
 */
final class TypeScriptGenerator {

    /** Where the TypeScript tree starts in the class output. */
    static final String ROOT = "META-INF/teleport/typescript/";
    /** The runtime's file name, under {@link #ROOT}. */
    static final String RUNTIME = "teleport.ts";

    /** Members every TypeScript view has, which components' accessors must not take. */
    private static final Set<String> VIEW_MEMBERS = Set.of("constructor", "toObject", "messageVersion");

    /** The longest line the generated code should have, as in the generated Java. */
    private static final int LINE = 110;

    private final TypeModel model;
    private final Elements elements;
    private final StringBuilder out = new StringBuilder(8192);
    private final String name;
    private final String layout;
    /** The TypeScript name of each enum type used, to its constants in declaration order. */
    private final Map<String, List<String>> enums = new LinkedHashMap<>();
    private int indent;

    private TypeScriptGenerator(TypeModel model, Elements elements) {
        this.model = model;
        this.elements = elements;
        this.name = tsName(model.record());
        this.layout = name + "Layout";
    }

    /** The file's path under {@link #ROOT}: {@code com/example/User.ts}. */
    static String path(TypeModel model) {
        return directory(model.record()) + tsName(model.record()) + ".ts";
    }

    /**
     * The file's text, or why this record gets none (a name that TypeScript would read differently); the
     * Java code is generated either way.
     */
    static Result generate(TypeModel model, Elements elements) {
        TypeScriptGenerator generator = new TypeScriptGenerator(model, elements);
        String problem = generator.collectNames();
        return problem != null ? new Result(null, problem) : new Result(generator.file(), null);
    }

    /** Either {@code text} or the reason there is none. */
    record Result(String text, String skipped) {
    }

    /** Finds the enum constants and checks that every name the file declares or imports is distinct. */
    private String collectNames() {
        Map<String, String> declared = new LinkedHashMap<>();
        for (String imported : List.of("TeleportReader", "TeleportWriter", "TeleportList", "WrapOptions")) {
            declared.put(imported, "the teleport runtime");
        }
        for (String own : List.of(name, layout, name + "View", name + "Teleport")) {
            String clash = claim(declared, own, model.record().canonicalName());
            if (clash != null) {
                return own + " is also a name of " + clash;
            }
        }
        for (FieldModel field : model.fields()) {
            if (VIEW_MEMBERS.contains(field.name())) {
                return field.name() + " is the name of a member every TypeScript view has";
            }
            String clash = null;
            if (field.kind() == FieldModel.Kind.ENUM) {
                ClassName type = (ClassName) field.type();
                clash = claim(declared, tsName(type), type.canonicalName());
                enums.computeIfAbsent(tsName(type), n -> constants(type));
            } else if (field.kind() == FieldModel.Kind.STRUCT || field.kind() == FieldModel.Kind.STRUCT_LIST) {
                ClassName nested = field.nested().record();
                String tsName = tsName(nested);
                for (String imported : List.of(tsName, tsName + "Layout", tsName + "View", tsName + "Teleport")) {
                    clash = clash != null ? clash : claim(declared, imported, nested.canonicalName());
                }
            }
            if (clash != null) {
                return field.name() + ": its type's TypeScript name is also that of " + clash
                        + " (TypeScript names carry no package)";
            }
        }
        return null;
    }

    /** Takes {@code tsName} for {@code owner}; answers the other type that has it, if any. */
    private static String claim(Map<String, String> declared, String tsName, String owner) {
        String before = declared.putIfAbsent(tsName, owner);
        return before == null || before.equals(owner) ? null : before;
    }

    private List<String> constants(ClassName type) {
        TypeElement element = elements.getTypeElement(type.canonicalName());
        return element.getEnclosedElements().stream()
                .filter(e -> e.getKind() == ElementKind.ENUM_CONSTANT)
                .map(e -> e.getSimpleName().toString())
                .toList();
    }

    private String file() {
        line("// Generated by the teleport processor from the record");
        line("// %s. Do not edit.", model.record().canonicalName());
        line("");
        imports();
        recordInterface();
        for (Map.Entry<String, List<String>> e : enums.entrySet()) {
            line("");
            line("export type %s = %s;", e.getKey(),
                    String.join(" | ", e.getValue().stream().map(TypeScriptGenerator::quote).toList()));
            line("const %s: readonly %s[] = [%s];", constantsName(e.getKey()), e.getKey(),
                    String.join(", ", e.getValue().stream().map(TypeScriptGenerator::quote).toList()));
        }
        layoutConstants();
        view();
        writer();
        return out.toString();
    }

    private void imports() {
        List<String> runtime = new ArrayList<>(List.of("TeleportReader", "type WrapOptions"));
        boolean lists = false;
        boolean primitiveArrays = false;
        boolean enumsUsed = false;
        boolean structs = false;
        for (FieldModel field : model.fields()) {
            lists |= field.kind() == FieldModel.Kind.STRUCT_LIST;
            primitiveArrays |= field.kind() == FieldModel.Kind.PRIMITIVE_ARRAY;
            enumsUsed |= field.kind() == FieldModel.Kind.ENUM;
            structs |= field.kind() == FieldModel.Kind.STRUCT;
        }
        if (primitiveArrays) {
            runtime.add("checkIndex");
        }
        if (enumsUsed) {
            runtime.add("ordinal");
        }
        if (structs) {
            runtime.add("required");
        }
        if (lists) {
            runtime.add("TeleportList");
        }
        runtime.add("TeleportWriter");
        importLine(String.join(", ", runtime),
                relative(model.record().packageName(), "") + RUNTIME.replace(".ts", ".js"));
        Map<String, ClassName> nested = new LinkedHashMap<>();
        Set<String> listed = new HashSet<>();
        for (FieldModel field : model.fields()) {
            if (field.kind() == FieldModel.Kind.STRUCT || field.kind() == FieldModel.Kind.STRUCT_LIST) {
                nested.putIfAbsent(tsName(field.nested().record()), field.nested().record());
            }
            if (field.kind() == FieldModel.Kind.STRUCT_LIST) {
                listed.add(tsName(field.nested().record()));
            }
        }
        for (Map.Entry<String, ClassName> e : nested.entrySet()) {
            String n = e.getKey();
            // The layout is needed for the stride of lists only; an inline struct's offset is in this layout.
            String names = listed.contains(n) ? "type %1$s, %1$sLayout, %1$sTeleport, %1$sView"
                    : "type %1$s, %1$sTeleport, %1$sView";
            importLine(String.format(names, n), relative(model.record().packageName(), e.getValue().packageName())
                    + n + ".js");
        }
    }

    private void importLine(String names, String from) {
        String oneLine = String.format("import { %s } from \"%s\";", names, from);
        if (oneLine.length() <= LINE) {
            line("%s", oneLine);
            return;
        }
        line("import {");
        line("  %s,", names);
        line("} from \"%s\";", from);
    }

    private void recordInterface() {
        line("");
        doc(String.format("A %s value: what %sTeleport.write takes and %sView.toObject() returns.", name, name, name));
        open("export interface %s {", name);
        for (FieldModel field : model.fields()) {
            line("readonly %s: %s;", field.name(), valueType(field));
        }
        close("}");
    }

    private void layoutConstants() {
        line("");
        doc(String.format("Where the components of %s sit in a teleport message.", name));
        open("export const %s = {", layout);
        line("SCHEMA_ID: %d,", model.schemaId());
        line("TEMPLATE_ID: %d,", model.templateId());
        line("VERSION: %d,", model.version());
        line("BLOCK_LENGTH: %d,", model.layout().blockLength());
        line("MIN_BLOCK_LENGTH: %d,", model.minBlockLength());
        line("ALIGNMENT: %d,", model.layout().alignment());
        line("STRIDE: %d,", model.layout().stride());
        for (FieldModel field : model.fields()) {
            line("%s: %d,", field.offsetConstant(), field.offset());
        }
        close("} as const;");
    }

    private void view() {
        line("");
        line("/**");
        line(" * Reads %s messages in place. `wrap` validates the whole message once, as the Java view does;", name);
        line(" * the getters then read at constant offsets. A view reads the caller's bytes without copying them,");
        line(" * so it sees later changes to them; nested views and list elements are new objects over the same");
        line(" * bytes.");
        line(" */");
        open("export class %sView {", name);
        line("readonly #reader: TeleportReader;");
        line("readonly #at: number;");
        line("");
        doc("A view of the block at `at` of a message `reader` has validated; for generated code.");
        open("constructor(reader: TeleportReader, at: number) {");
        line("this.#reader = reader;");
        line("this.#at = at;");
        close("}");
        line("");
        line("/**");
        line(" * A view of the message at `offset` of `bytes`, validated.");
        line(" *");
        line(" * @throws TeleportFormatError when the bytes are not a valid message of this type");
        line(" */");
        open("static wrap(bytes: Uint8Array, offset = 0, options: WrapOptions = {}): %sView {", name);
        call("const reader = TeleportReader.wrap(", ");", "bytes", "offset", layout + ".SCHEMA_ID",
                layout + ".TEMPLATE_ID", layout + ".MIN_BLOCK_LENGTH", "options.validateUtf8 ?? false");
        line("%sView.validate(reader, reader.block);", name);
        line("return new %sView(reader, reader.block);", name);
        close("}");
        validate();
        line("");
        doc(String.format("The version of %s the message was written with.", name));
        open("messageVersion(): number {");
        line("return this.#reader.version;");
        close("}");
        for (FieldModel field : model.fields()) {
            getters(field);
        }
        toObject();
        close("}");
    }

    private void validate() {
        line("");
        doc("Checks every reference and enum of the block at `at`; for generated code.");
        open("static validate(reader: TeleportReader, at: number): void {");
        if (!model.needsValidation()) {
            line("// Nothing to check: no strings, slices or enums, and the header check covers the block.");
        }
        for (FieldModel field : model.fields()) {
            if (!field.needsValidation()) {
                continue;
            }
            if (field.since() > 1) {
                open("if (reader.blockLength >= %s) {", end(field));
            }
            String at = "at + " + layout + "." + field.offsetConstant();
            String label = quote(model.simpleName() + "." + field.name());
            switch (field.kind()) {
                case STRING -> line("reader.checkString(%s, %s);", at, label);
                case ENUM -> line("reader.checkEnum(%s, %d, %d, %s);", at, field.size(), field.constants(), label);
                case BYTES, PRIMITIVE_ARRAY -> line("reader.checkSlice(%s, %d, %d, %s);", at, field.elementSize(),
                        field.elementSize(), label);
                case STRUCT -> line("%sView.validate(reader, %s);", tsName(field.nested().record()), at);
                case STRUCT_LIST -> validateList(field, at, label);
                default -> throw new IllegalStateException(field.kind() + " needs no validation");
            }
            if (field.since() > 1) {
                close("}");
            }
        }
        close("}");
    }

    private void validateList(FieldModel field, String at, String label) {
        String nested = tsName(field.nested().record());
        String[] check = {at, nested + "Layout.STRIDE", nested + "Layout.ALIGNMENT", label};
        if (!field.nested().needsValidation()) {
            call("reader.checkSlice(", ");", check);
            return;
        }
        String count = field.name() + "Count";
        String start = field.name() + "At";
        call("const " + count + " = reader.checkSlice(", ");", check);
        line("const %s = reader.sliceStart(%s);", start, at);
        open("for (let i = 0; i < %s; i++) {", count);
        line("%sView.validate(reader, %s + i * %sLayout.STRIDE);", nested, start, nested);
        close("}");
    }

    private void getters(FieldModel field) {
        String at = "this.#at + " + layout + "." + field.offsetConstant();
        String absent = field.since() > 1 ? " Absent (written before version " + field.since() + "): " : "";
        switch (field.kind()) {
            case PRIMITIVE -> getter(field, field.name() + "()", primitiveType(field.element()),
                    "this.#reader." + field.element() + "(" + at + ")", zero(field.element()),
                    "`" + field.name() + "`." + absent(absent, zero(field.element())));
            case ENUM -> getter(field, field.name() + "()", enumType(field) + nullableIfAppended(field),
                    constantsName(enumType(field)) + "[this.#reader.enumOrdinal(" + at + ", " + field.size() + ")]",
                    "null", "`" + field.name() + "`." + absent(absent, "null"));
            case STRING -> {
                getter(field, field.name() + "()", "string | null", "this.#reader.string(" + at + ")", "null",
                        "`" + field.name() + "`, decoded from UTF-8; null when it was written null."
                                + absent(absent, "null"));
                getter(field, field.utf8Accessor() + "()", "Uint8Array | null", "this.#reader.stringBytes(" + at + ")",
                        "null", "The UTF-8 bytes of `" + field.name() + "`, a view of the message (no copy)."
                                + absent(absent, "null"));
            }
            case BYTES -> {
                getter(field, field.name() + "()", "Uint8Array", "this.#reader.sliceBytes(" + at + ")",
                        "new Uint8Array(0)", "`" + field.name() + "`, a view of the message (no copy)."
                                + absent(absent, "empty"));
                getter(field, field.lengthAccessor() + "()", "number", "this.#reader.sliceCount(" + at + ")", "0",
                        "Bytes in `" + field.name() + "`." + absent(absent, "0"));
            }
            case PRIMITIVE_ARRAY -> {
                getter(field, field.lengthAccessor() + "()", "number", "this.#reader.sliceCount(" + at + ")", "0",
                        "Elements in `" + field.name() + "`." + absent(absent, "0"));
                line("");
                doc(String.format("Element `index` of `%s`. @throws RangeError unless `0 <= index < %s()`",
                        field.name(), field.lengthAccessor()));
                open("%s(index: number): %s {", field.name(), primitiveType(field.element()));
                line("checkIndex(index, this.%s());", field.lengthAccessor());
                line("return this.#reader.%s(this.#reader.sliceStart(%s) + index * %d);", field.element(), at,
                        field.elementSize());
                close("}");
            }
            case STRUCT -> getter(field, field.name() + "()",
                    tsName(field.nested().record()) + "View" + nullableIfAppended(field),
                    "new " + tsName(field.nested().record()) + "View(this.#reader, " + at + ")", "null",
                    "`" + field.name() + "`, read in place." + absent(absent, "null"));
            case STRUCT_LIST -> {
                String nested = tsName(field.nested().record());
                getter(field, field.name() + "()", "TeleportList<" + nested + "View>",
                        "this.#reader.list(" + at + ", " + nested + "Layout.STRIDE,\n(at) => new " + nested
                                + "View(this.#reader, at))", "TeleportList.empty()",
                        "The elements of `" + field.name() + "`, read in place." + absent(absent, "empty"));
            }
        }
        if (field.since() > 1) {
            line("");
            doc(String.format("Whether the message has `%s`: false when it was written by version %d or older.",
                    field.name(), field.since() - 1));
            open("%s(): boolean {", field.hasAccessor());
            line("return this.#reader.blockLength >= %s;", end(field));
            close("}");
        }
    }

    /**
     * A getter; one of a component added after version 1 reads nothing when the writer's block ends before
     * it, because the bytes there are not the message's.
     */
    private void getter(FieldModel field, String signature, String type, String read, String absent, String doc) {
        line("");
        doc(doc);
        open("%s: %s {", signature, type);
        if (field.since() > 1) {
            open("if (!this.%s()) {", field.hasAccessor());
            line("return %s;", absent);
            close("}");
        }
        String[] lines = read.split("\n");
        line("return %s%s", lines[0], lines.length == 1 ? ";" : "");
        for (int i = 1; i < lines.length; i++) {
            line("    %s%s", lines[i], i == lines.length - 1 ? ";" : "");
        }
        close("}");
    }

    private void toObject() {
        line("");
        doc(String.format("A copy of the message as a plain %s, independent of the bytes.", name));
        open("toObject(): %s {", name);
        open("return {");
        for (FieldModel field : model.fields()) {
            String n = field.name();
            String value = switch (field.kind()) {
                case PRIMITIVE, ENUM, STRING -> "this." + n + "()";
                case BYTES -> "this." + n + "().slice()";
                case PRIMITIVE_ARRAY -> arrayCopy(field);
                case STRUCT -> field.since() > 1 ? "this." + n + "()?.toObject() ?? null"
                        : "this." + n + "().toObject()";
                case STRUCT_LIST -> "Array.from(this." + n + "(), (element) => element.toObject())";
            };
            line("%s: %s,", n, value);
        }
        close("};");
        close("}");
    }

    private static String arrayCopy(FieldModel field) {
        String elements = "{ length: this." + field.lengthAccessor() + "() }, (_, i) => this." + field.name() + "(i)";
        TypeName e = field.element();
        if (e.equals(TypeName.CHAR)) {
            return "Array.from(" + elements + ").join(\"\")";
        }
        if (e.equals(TypeName.BOOLEAN)) {
            return "Array.from(" + elements + ")";
        }
        return arrayType(e) + ".from(" + elements + ")";
    }

    private void writer() {
        line("");
        doc(String.format("Writes %s values as teleport messages, byte for byte as the Java writer does.", name));
        open("export const %sTeleport = {", name);
        line("/**");
        line(" * `value` as a whole message.");
        line(" *");
        line(" * @throws TypeError when a nested record or enum is null (they have no null form)");
        line(" */");
        open("write(value: %s): Uint8Array {", name);
        line("const out = new TeleportWriter();");
        call("const at = out.beginMessage(", ");", layout + ".SCHEMA_ID", layout + ".TEMPLATE_ID",
                layout + ".VERSION", layout + ".BLOCK_LENGTH");
        line("%sTeleport.writeBlock(out, at, value);", name);
        line("return out.finish();");
        close("},");
        line("");
        doc(String.format("The components of `value` into the block at `at`: for the writers of messages that nest %s.",
                name));
        open("writeBlock(out: TeleportWriter, at: number, value: %s): void {", name);
        for (FieldModel field : model.fields()) {
            String at = "at + " + layout + "." + field.offsetConstant();
            String value = "value." + field.name();
            String label = model.simpleName() + "." + field.name();
            switch (field.kind()) {
                case PRIMITIVE -> line("out.%s(%s, %s);", Types.put(field.element()), at, value);
                case ENUM -> {
                    call("out.putEnum(", ");", at, String.valueOf(field.size()),
                            "ordinal(" + constantsName(enumType(field)) + ", " + value + ", " + quote(label) + ")");
                }
                case STRING -> line("out.writeString(%s, %s);", at, value);
                case BYTES, PRIMITIVE_ARRAY -> line("out.%s(%s, %s);", Types.writeArray(field.element()), at, value);
                case STRUCT -> {
                    call(tsName(field.nested().record()) + "Teleport.writeBlock(", ");", "out", at,
                            "required(" + value + ", "
                                    + quote(label + " is null; struct components cannot be null") + ")");
                }
                case STRUCT_LIST -> {
                    String nested = tsName(field.nested().record());
                    call("out.writeList(", ");", at, value, nested + "Layout.STRIDE", nested + "Layout.ALIGNMENT",
                            quote(label),
                            "(elementAt, element) => " + nested + "Teleport.writeBlock(out, elementAt, element)");
                }
            }
        }
        close("},");
        close("};");
    }

    private String valueType(FieldModel field) {
        return switch (field.kind()) {
            case PRIMITIVE -> primitiveType(field.element());
            case ENUM -> enumType(field) + nullableIfAppended(field);
            case STRING -> "string | null";
            case BYTES -> "Uint8Array";
            case PRIMITIVE_ARRAY -> arrayType(field.element());
            case STRUCT -> tsName(field.nested().record()) + nullableIfAppended(field);
            case STRUCT_LIST -> tsName(field.nested().record()) + "[]";
        };
    }

    /** Enums and nested records added later read as null from older messages, as in Java. */
    private static String nullableIfAppended(FieldModel field) {
        return field.since() > 1 ? " | null" : "";
    }

    private static String primitiveType(TypeName primitive) {
        if (primitive.equals(TypeName.BOOLEAN)) {
            return "boolean";
        }
        if (primitive.equals(TypeName.LONG)) {
            return "bigint";
        }
        // A Java char is one UTF-16 code unit: a string of length 1.
        return primitive.equals(TypeName.CHAR) ? "string" : "number";
    }

    private static String arrayType(TypeName primitive) {
        if (primitive.equals(TypeName.BOOLEAN)) {
            return "boolean[]";
        }
        if (primitive.equals(TypeName.CHAR)) {
            return "string";
        }
        if (primitive.equals(TypeName.BYTE)) {
            return "Uint8Array";
        }
        if (primitive.equals(TypeName.SHORT)) {
            return "Int16Array";
        }
        if (primitive.equals(TypeName.INT)) {
            return "Int32Array";
        }
        if (primitive.equals(TypeName.LONG)) {
            return "BigInt64Array";
        }
        return primitive.equals(TypeName.FLOAT) ? "Float32Array" : "Float64Array";
    }

    private static String zero(TypeName primitive) {
        if (primitive.equals(TypeName.BOOLEAN)) {
            return "false";
        }
        if (primitive.equals(TypeName.LONG)) {
            return "0n";
        }
        return primitive.equals(TypeName.CHAR) ? "\"\\u0000\"" : "0";
    }

    private static String absent(String absent, String value) {
        return absent.isEmpty() ? "" : absent + value + ".";
    }

    private static String enumType(FieldModel field) {
        return tsName((ClassName) field.type());
    }

    /** {@code Role} gives {@code ROLE_CONSTANTS}; {@code HttpStatus} gives {@code HTTP_STATUS_CONSTANTS}. */
    private static String constantsName(String enumName) {
        return enumName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT) + "_CONSTANTS";
    }

    /** The block length a message needs to have {@code field}. */
    private String end(FieldModel field) {
        return layout + "." + field.offsetConstant() + " + " + field.size();
    }

    /** A type nested in {@code Outer} gives {@code Outer_Xxx}, as the Java generated classes are named. */
    static String tsName(ClassName type) {
        return String.join("_", type.simpleNames());
    }

    private static String directory(ClassName type) {
        return type.packageName().isEmpty() ? "" : type.packageName().replace('.', '/') + "/";
    }

    /** The import path prefix from the directory of package {@code from} to that of package {@code to}. */
    static String relative(String from, String to) {
        List<String> source = from.isEmpty() ? List.of() : List.of(from.split("\\."));
        List<String> target = to.isEmpty() ? List.of() : List.of(to.split("\\."));
        int common = 0;
        while (common < source.size() && common < target.size() && source.get(common).equals(target.get(common))) {
            common++;
        }
        StringBuilder path = new StringBuilder(common == source.size() ? "./" : "");
        path.append("../".repeat(source.size() - common));
        for (String segment : target.subList(common, target.size())) {
            path.append(segment).append('/');
        }
        return path.toString();
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** A doc comment, on one line when it fits and wrapped at spaces when not. */
    private void doc(String text) {
        String margin = "  ".repeat(indent);
        if (margin.length() + text.length() + 7 <= LINE) {
            line("/** %s */", text);
            return;
        }
        line("/**");
        StringBuilder current = new StringBuilder(" *");
        for (String word : text.split(" ")) {
            if (current.length() > 2 && margin.length() + current.length() + 1 + word.length() > LINE) {
                line("%s", current);
                current = new StringBuilder(" *");
            }
            current.append(' ').append(word);
        }
        line("%s", current);
        line(" */");
    }

    /**
     * A call statement {@code head + args + tail}: on one line when it fits, else with the arguments that do
     * not fit on continuation lines indented by four more spaces.
     */
    private void call(String head, String tail, String... args) {
        String oneLine = head + String.join(", ", args) + tail;
        if (2 * indent + oneLine.length() <= LINE) {
            line("%s", oneLine);
            return;
        }
        StringBuilder current = new StringBuilder(head);
        // Whether nothing follows the head, or the continuation indent, yet.
        boolean empty = true;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i] + (i == args.length - 1 ? tail : ",");
            if (!empty && 2 * indent + current.length() + 1 + arg.length() > LINE) {
                line("%s", current);
                current = new StringBuilder("    ");
                empty = true;
            }
            current.append(empty ? "" : " ").append(arg);
            empty = false;
        }
        line("%s", current);
    }

    private void open(String format, Object... args) {
        line(format, args);
        indent++;
    }

    private void close(String text) {
        indent--;
        line("%s", text);
    }

    private void line(String format, Object... args) {
        String text = args.length == 0 ? format : String.format(format, args);
        if (!text.isEmpty()) {
            out.append("  ".repeat(indent)).append(text);
        }
        out.append('\n');
    }
}
