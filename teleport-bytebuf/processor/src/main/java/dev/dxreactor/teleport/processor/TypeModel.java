package dev.dxreactor.teleport.processor;

import com.palantir.javapoet.ClassName;
import dev.dxreactor.teleport.TeleportLayout;

import javax.lang.model.element.TypeElement;
import java.util.List;

/**
 * Everything the generators need about one {@code @Teleportable} record: its names, ids, components in
 * order and their layout.
 *
 * @param minBlockLength the block length of version 1: the end of the last component without {@code @Since}
 */
record TypeModel(TypeElement element, ClassName record, int schemaId, int templateId, int version,
                 List<FieldModel> fields, TeleportLayout layout, int minBlockLength) {

    ClassName layoutClass() {
        return generated("Layout");
    }

    ClassName teleportClass() {
        return generated("Teleport");
    }

    ClassName viewClass() {
        return generated("View");
    }

    /** A record nested in {@code Outer} gives {@code Outer_UserView}, in the record's package. */
    private ClassName generated(String suffix) {
        return ClassName.get(record.packageName(), String.join("_", record.simpleNames()) + suffix);
    }

    /** Whether {@code wrap} has anything to check in a block of this type (references or enums). */
    boolean needsValidation() {
        return fields.stream().anyMatch(FieldModel::needsValidation);
    }

    /** Whether some component was added after version 1, which makes the type unfit for nesting. */
    boolean grows() {
        return fields.stream().anyMatch(f -> f.since() > 1);
    }

    String simpleName() {
        return record.simpleName();
    }
}
