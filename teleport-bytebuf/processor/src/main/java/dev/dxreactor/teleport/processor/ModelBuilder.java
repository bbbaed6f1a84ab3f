package dev.dxreactor.teleport.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.dxreactor.teleport.Since;
import dev.dxreactor.teleport.TeleportLayout;
import dev.dxreactor.teleport.Teleportable;

import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@code @Teleportable} records into {@link TypeModel}s, nested types first, and reports every
 * problem it finds as a compile error on the element at fault. A type with errors gets no model, and
 * neither does a type that nests it.
 */
final class ModelBuilder {

    private static final String SUPPORTED = "supported: the eight primitives, enums, String, byte[] and other"
            + " primitive arrays, @Teleportable records, and List of @Teleportable records";

    private final Messager messager;
    private final Map<TypeElement, TypeModel> models = new HashMap<>();
    private final Map<TypeElement, Boolean> failed = new HashMap<>();
    private final Deque<TypeElement> inProgress = new ArrayDeque<>();

    ModelBuilder(Messager messager) {
        this.messager = messager;
    }

    /** The model of {@code type}, or {@code null} when it (or something it nests) has errors. */
    TypeModel model(TypeElement type) {
        TypeModel known = models.get(type);
        if (known != null || failed.containsKey(type)) {
            return known;
        }
        if (inProgress.contains(type)) {
            List<String> path = new ArrayList<>();
            inProgress.descendingIterator().forEachRemaining(t -> path.add(t.getSimpleName().toString()));
            path.add(type.getSimpleName().toString());
            error(type, "@Teleportable types must not contain themselves: "
                    + String.join(" -> ", path.subList(path.indexOf(type.getSimpleName().toString()), path.size()))
                    + " is a cycle");
            failed.put(type, true);
            return null;
        }
        inProgress.push(type);
        try {
            TypeModel model = build(type);
            if (model == null) {
                failed.put(type, true);
            } else {
                models.put(type, model);
            }
            return model;
        } finally {
            inProgress.pop();
        }
    }

    private TypeModel build(TypeElement type) {
        Teleportable annotation = type.getAnnotation(Teleportable.class);
        if (type.getKind() != ElementKind.RECORD) {
            error(type, "@Teleportable applies to records; " + type.getSimpleName() + " is "
                    + article(type.getKind()));
            return null;
        }
        boolean ok = true;
        if (!type.getTypeParameters().isEmpty()) {
            error(type, "@Teleportable records cannot be generic: the layout must be known at compile time");
            ok = false;
        }
        if (type.getRecordComponents().isEmpty()) {
            error(type, "@Teleportable record " + type.getSimpleName() + " has no components");
            return null;
        }
        ok &= checkRange(type, "schemaId", annotation.schemaId(), 0);
        ok &= checkRange(type, "templateId", annotation.templateId(), 0);
        boolean versionOk = checkRange(type, "version", annotation.version(), 1);
        ok &= versionOk;

        TeleportLayout.Builder layout = TeleportLayout.builder();
        List<FieldModel> fields = new ArrayList<>();
        int minBlockLength = 0;
        int lastSince = 1;
        for (RecordComponentElement component : type.getRecordComponents()) {
            String name = component.getSimpleName().toString();
            int since = since(component);
            // An invalid version is reported once, not again for every @Since it makes look wrong.
            if (since < 1 || versionOk && since > annotation.version()) {
                error(component, "@Since(" + since + ") on " + name + ": must be 1.." + annotation.version()
                        + " (the record's version)");
                ok = false;
            } else if (since < lastSince) {
                error(component, name + " is from version " + since + " but follows a component from version "
                        + lastSince + ": components may only be appended");
                ok = false;
            }
            lastSince = Math.max(lastSince, since);
            FieldModel field = field(type, component, name, since, layout);
            if (field == null) {
                ok = false;
                continue;
            }
            fields.add(field);
            if (since == 1) {
                minBlockLength = field.offset() + field.size();
            }
        }
        // Checked even when a component was refused, so that every mistake in the record is reported at once.
        ok &= accessorNamesAreFree(type, fields);
        if (!ok) {
            return null;
        }
        int templateId = annotation.templateId() != 0 ? annotation.templateId()
                : defaultTemplateId(type.getQualifiedName().toString());
        return new TypeModel(type, ClassName.get(type), annotation.schemaId(), templateId, annotation.version(),
                List.copyOf(fields), layout.build(), minBlockLength);
    }

    /**
     * Reports every component whose view accessors would take a name already taken, by an earlier component's
     * accessor ({@code name} and {@code nameText}, say) or by a method every view has.
     */
    private boolean accessorNamesAreFree(TypeElement type, List<FieldModel> fields) {
        Map<String, String> taken = new HashMap<>();
        for (String method : ViewGenerator.VIEW_METHODS) {
            taken.put(method, "every view");
        }
        boolean free = true;
        for (FieldModel field : fields) {
            for (String accessor : field.accessorNames()) {
                String owner = taken.putIfAbsent(accessor, "the view's accessors for " + field.name());
                if (owner != null) {
                    error(component(type, field.name()), type.getSimpleName() + "." + field.name()
                            + ": its view accessor " + accessor + "() is taken by " + owner + "; rename the component");
                    free = false;
                }
            }
        }
        return free;
    }

    private static RecordComponentElement component(TypeElement type, String name) {
        return type.getRecordComponents().stream()
                .filter(component -> component.getSimpleName().contentEquals(name)).findFirst().orElseThrow();
    }

    private FieldModel field(TypeElement owner, RecordComponentElement component, String name, int since,
                             TeleportLayout.Builder layout) {
        TypeMirror type = component.asType();
        TypeName typeName = TypeName.get(type);
        if (type.getKind().isPrimitive()) {
            int size = Types.primitiveSize(typeName);
            return new FieldModel(name, FieldModel.Kind.PRIMITIVE, typeName, typeName, null, 0,
                    layout.add(name, size, size), size, since);
        }
        if (type.getKind() == TypeKind.ARRAY) {
            TypeMirror element = ((ArrayType) type).getComponentType();
            if (!element.getKind().isPrimitive()) {
                error(component, unsupported(owner, name, type) + "; arrays of objects are not (a List of a"
                        + " @Teleportable record is)");
                return null;
            }
            TypeName elementName = TypeName.get(element);
            FieldModel.Kind kind = elementName.equals(TypeName.BYTE) ? FieldModel.Kind.BYTES
                    : FieldModel.Kind.PRIMITIVE_ARRAY;
            return reference(name, kind, typeName, elementName, null, since, layout);
        }
        if (type.getKind() != TypeKind.DECLARED) {
            error(component, unsupported(owner, name, type) + "; " + SUPPORTED);
            return null;
        }
        TypeElement declared = (TypeElement) ((DeclaredType) type).asElement();
        String qualified = declared.getQualifiedName().toString();
        if (qualified.equals("java.lang.String")) {
            return reference(name, FieldModel.Kind.STRING, typeName, null, null, since, layout);
        }
        if (declared.getKind() == ElementKind.ENUM) {
            int constants = (int) declared.getEnclosedElements().stream()
                    .filter(e -> e.getKind() == ElementKind.ENUM_CONSTANT).count();
            int width = TeleportLayout.enumWidth(constants);
            return new FieldModel(name, FieldModel.Kind.ENUM, typeName, typeName, null, constants,
                    layout.add(name, width, width), width, since);
        }
        if (declared.getAnnotation(Teleportable.class) != null) {
            TypeModel nested = nested(owner, component, name, declared);
            if (nested == null) {
                return null;
            }
            int stride = nested.layout().stride();
            return new FieldModel(name, FieldModel.Kind.STRUCT, typeName, nested.record(), nested, 0,
                    layout.add(name, stride, nested.layout().alignment()), stride, since);
        }
        if (qualified.equals("java.util.List")) {
            List<? extends TypeMirror> arguments = ((DeclaredType) type).getTypeArguments();
            if (arguments.size() == 1 && arguments.get(0).getKind() == TypeKind.DECLARED) {
                TypeElement element = (TypeElement) ((DeclaredType) arguments.get(0)).asElement();
                if (element.getAnnotation(Teleportable.class) != null) {
                    TypeModel nested = nested(owner, component, name, element);
                    if (nested == null) {
                        return null;
                    }
                    return reference(name, FieldModel.Kind.STRUCT_LIST, typeName, nested.record(), nested, since,
                            layout);
                }
            }
            error(component, unsupported(owner, name, type) + "; a List's elements must be a @Teleportable record");
            return null;
        }
        if (declared.getKind() == ElementKind.RECORD) {
            error(component, unsupported(owner, name, type) + "; annotate " + declared.getSimpleName()
                    + " with @Teleportable to nest it");
            return null;
        }
        String boxed = switch (qualified) {
            case "java.lang.Boolean", "java.lang.Byte", "java.lang.Short", "java.lang.Character",
                 "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double" ->
                    "; use the primitive type";
            default -> "; " + SUPPORTED;
        };
        error(component, unsupported(owner, name, type) + boxed);
        return null;
    }

    private TypeModel nested(TypeElement owner, Element component, String name, TypeElement nestedType) {
        TypeModel nested = model(nestedType);
        if (nested == null) {
            error(component, owner.getSimpleName() + "." + name + ": " + nestedType.getSimpleName()
                    + " has errors of its own (see above)");
            return null;
        }
        if (nested.grows()) {
            error(component, owner.getSimpleName() + "." + name + ": " + nestedType.getSimpleName()
                    + " has components added in later versions (@Since) and cannot be nested; only a message's"
                    + " top level can grow");
            return null;
        }
        return nested;
    }

    private static FieldModel reference(String name, FieldModel.Kind kind, TypeName type, TypeName element,
                                        TypeModel nested, int since, TeleportLayout.Builder layout) {
        return new FieldModel(name, kind, type, element, nested, 0,
                layout.add(name, TeleportLayout.REFERENCE_SIZE, TeleportLayout.REFERENCE_ALIGNMENT),
                TeleportLayout.REFERENCE_SIZE, since);
    }

    private static int since(RecordComponentElement component) {
        Since since = component.getAnnotation(Since.class);
        if (since == null) {
            // The annotation may have landed on the accessor or the field instead, depending on its targets.
            Element accessor = component.getAccessor();
            since = accessor == null ? null : accessor.getAnnotation(Since.class);
        }
        return since == null ? 1 : since.value();
    }

    /** Stable across builds (String.hashCode is specified), 1..32768, never the "derive" value 0. */
    static int defaultTemplateId(String qualifiedName) {
        return (qualifiedName.hashCode() & 0x7FFF) + 1;
    }

    private boolean checkRange(TypeElement type, String attribute, int value, int min) {
        if (value < min || value > 0xFFFF) {
            error(type, "@Teleportable(" + attribute + " = " + value + ") is outside " + min + "..65535");
            return false;
        }
        return true;
    }

    private static String unsupported(TypeElement owner, String name, TypeMirror type) {
        return owner.getSimpleName() + "." + name + " has unsupported type " + type;
    }

    private static String article(ElementKind kind) {
        String k = kind.name().toLowerCase().replace('_', ' ');
        return ("aeiou".indexOf(k.charAt(0)) >= 0 ? "an " : "a ") + k;
    }

    private void error(Element element, String message) {
        messager.printMessage(Diagnostic.Kind.ERROR, message, element);
    }
}
