package dev.dxreactor.teleport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record whose values travel as teleport messages. The annotation processor
 * ({@code dx-teleport-processor}) generates, next to the record {@code Xxx}:
 * <ul>
 *   <li>{@code XxxLayout}: the schema id, template id, version, block length and every field's offset;
 *   <li>{@code XxxTeleport}: {@code write(TeleportBuffer, Xxx)};
 *   <li>{@code XxxView}: a flyweight over a {@code ByteBuf} with one getter per component.
 * </ul>
 *
 * <pre>{@code
 * @Teleportable record User(long id, int age, boolean active, String name, List<Address> addresses) {}
 *
 * TeleportBuffer out = TeleportBuffer.allocate(alloc);
 * UserTeleport.write(out, user);
 * ByteBuf wire = out.finish();
 * UserView view = UserView.wrap(wire);       // validates once
 * view.id(); view.name(); view.addresses().get(3).zip();
 * }</pre>
 *
 * <p>Component types: the eight primitives, enums, {@code String}, {@code byte[]} and the other primitive
 * arrays, nested {@code @Teleportable} records (stored inline) and {@code List}s of them. Components may
 * only be appended in later versions, each marked {@link Since}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Teleportable {

    /** Identifies the family of messages this type belongs to; 0..65535. */
    int schemaId() default 1;

    /**
     * Identifies this type within its schema; 1..65535. The default 0 derives a stable id from the
     * record's qualified name, so renaming or moving the record changes it.
     */
    int templateId() default 0;

    /** The version this record's layout describes; raise it when appending components. 1..65535. */
    int version() default 1;
}
