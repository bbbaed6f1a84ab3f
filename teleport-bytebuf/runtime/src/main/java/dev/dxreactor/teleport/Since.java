package dev.dxreactor.teleport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A component appended in a later version of a {@link Teleportable} record. Readers of older messages see
 * its default value (0, {@code false}, {@code null} for strings, enums and nested records, empty for arrays
 * and lists) and {@code hasXxx()} answers {@code false}; nothing of it is read from the bytes after the
 * older writer's block.
 * Only top-level message types can grow: a record with such components cannot be nested in another.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.RECORD_COMPONENT, ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER})
public @interface Since {

    /** The first version that has this component; greater than 1. */
    int value();
}
