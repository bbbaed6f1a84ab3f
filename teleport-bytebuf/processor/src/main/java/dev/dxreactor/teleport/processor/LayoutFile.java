package dev.dxreactor.teleport.processor;

import java.util.ArrayList;
import java.util.List;

/**
 * The layout of one type as a small text file, {@code META-INF/teleport/<binary name>.layout} next to the
 * classes, so that a later build can check that it only appended components:
 * <pre>
 * # teleport layout of com.example.User
 * schema 1
 * template 4242
 * version 2
 * field id long 0 8 1
 * field name java.lang.String 8 8 1
 * field score int 16 4 2
 * </pre>
 * A {@code field} line is name, stored type, offset, size and the version that added it.
 */
record LayoutFile(String typeName, int schemaId, int templateId, int version, List<Field> fields) {

    record Field(String name, String type, int offset, int size, int since) {
    }

    static String path(TypeModel model) {
        return "META-INF/teleport/" + model.element().getQualifiedName() + ".layout";
    }

    static LayoutFile of(TypeModel model) {
        List<Field> fields = new ArrayList<>();
        for (FieldModel f : model.fields()) {
            fields.add(new Field(f.name(), f.typeDescription().replace(' ', '/'), f.offset(), f.size(), f.since()));
        }
        return new LayoutFile(model.record().canonicalName(), model.schemaId(), model.templateId(), model.version(),
                fields);
    }

    String text() {
        StringBuilder sb = new StringBuilder("# teleport layout of ").append(typeName).append('\n')
                .append("schema ").append(schemaId).append('\n')
                .append("template ").append(templateId).append('\n')
                .append("version ").append(version).append('\n');
        for (Field f : fields) {
            sb.append("field ").append(f.name()).append(' ').append(f.type()).append(' ').append(f.offset())
                    .append(' ').append(f.size()).append(' ').append(f.since()).append('\n');
        }
        return sb.toString();
    }

    /**
     * Reads a layout file.
     *
     * @throws IllegalArgumentException naming the line that is not understood
     */
    static LayoutFile parse(String typeName, String text) {
        int schema = -1;
        int template = -1;
        int version = -1;
        List<Field> fields = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split(" +");
            try {
                switch (words[0]) {
                    case "schema" -> schema = Integer.parseInt(words[1]);
                    case "template" -> template = Integer.parseInt(words[1]);
                    case "version" -> version = Integer.parseInt(words[1]);
                    case "field" -> fields.add(new Field(words[1], words[2], Integer.parseInt(words[3]),
                            Integer.parseInt(words[4]), Integer.parseInt(words[5])));
                    default -> throw new IllegalArgumentException("unknown keyword " + words[0]);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " (" + line + "): " + e.getMessage(), e);
            }
        }
        if (schema < 0 || template < 0 || version < 0) {
            throw new IllegalArgumentException("schema, template and version lines are required");
        }
        return new LayoutFile(typeName, schema, template, version, fields);
    }

    /**
     * What makes {@code current} unable to read messages written with this layout, or they unable to read
     * it: empty when {@code current} only appended components.
     */
    List<String> incompatibilities(LayoutFile current) {
        List<String> problems = new ArrayList<>();
        if (schemaId != current.schemaId || templateId != current.templateId) {
            problems.add("schema/template changed from " + schemaId + "/" + templateId + " to " + current.schemaId
                    + "/" + current.templateId);
        }
        if (current.version < version) {
            problems.add("version went down from " + version + " to " + current.version);
        }
        for (int i = 0; i < fields.size(); i++) {
            Field before = fields.get(i);
            if (i >= current.fields.size()) {
                problems.add("component " + before.name() + " was removed");
                continue;
            }
            Field now = current.fields.get(i);
            if (!now.name().equals(before.name())) {
                problems.add("component " + (i + 1) + " was " + before.name() + ", is now " + now.name()
                        + " (components may not be renamed, removed or reordered)");
            } else if (!now.type().equals(before.type()) || now.offset() != before.offset()
                    || now.size() != before.size()) {
                problems.add("component " + before.name() + " changed from " + describe(before) + " to "
                        + describe(now));
            }
        }
        boolean grew = current.fields.size() > fields.size();
        if (grew && current.version <= version) {
            problems.add("components were appended but the version stayed " + version + "; raise it and mark them"
                    + " @Since(" + (version + 1) + ")");
        }
        for (int i = fields.size(); i < current.fields.size(); i++) {
            Field added = current.fields.get(i);
            if (added.since() <= version) {
                problems.add("appended component " + added.name() + " needs @Since(" + (version + 1)
                        + ") or later");
            }
        }
        return problems;
    }

    private static String describe(Field f) {
        return f.type().replace('/', ' ') + " at " + f.offset() + " (" + f.size() + " bytes)";
    }
}
