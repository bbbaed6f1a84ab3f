package dev.dxreactor.hbtp.cli;

import dev.dxreactor.teleport.TeleportFormatException;
import dev.dxreactor.teleport.TeleportView;
import io.netty.buffer.ByteBuf;

import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Renders a {@code @Teleportable} message as JSON. The teleport processor generates, next to each record
 * {@code p.Outer.Xxx}, a view {@code p.Outer_XxxView} whose {@code rewrap} validates a message in place and
 * whose {@code toRecord()} copies it into the record; Jackson then writes the record (strings as strings,
 * enums by name, nested records as objects, lists and primitive arrays as arrays, {@code byte[]} as base64).
 *
 * <p>{@code --type} may also name the view class itself.
 */
final class TeleportJson {

    private static final Pattern PATH_SEPARATOR = Pattern.compile(Pattern.quote(File.pathSeparator));

    private final String typeName;
    private final Constructor<?> viewConstructor;
    private final Method validateUtf8;
    private final Method toRecord;

    private TeleportJson(String typeName, Constructor<?> viewConstructor, Method validateUtf8, Method toRecord) {
        this.typeName = typeName;
        this.viewConstructor = viewConstructor;
        this.validateUtf8 = validateUtf8;
        this.toRecord = toRecord;
    }

    /**
     * Finds the view of {@code typeName} on the class path, plus {@code classPath} when given.
     *
     * @throws CliException {@link ExitCode#USAGE} when the record or its view is not there
     */
    static TeleportJson load(String typeName, String classPath) {
        ClassLoader loader = loader(classPath);
        Class<?> type = find(typeName.trim(), loader);
        if (type == null) {
            throw CliException.usage("no class " + typeName + " on the class path"
                    + (classPath == null ? " (add the jar that holds it with --class-path)" : ""));
        }
        Class<?> view = TeleportView.class.isAssignableFrom(type) ? type : view(type, loader);
        try {
            Constructor<?> constructor = view.getConstructor();
            Method validate = view.getMethod("validateUtf8", boolean.class);
            Method toRecord = view.getMethod("toRecord");
            return new TeleportJson(type.getName(), constructor, validate, toRecord);
        } catch (NoSuchMethodException e) {
            throw CliException.usage(view.getName() + " is not a view the teleport processor generated: " + e);
        }
    }

    private static Class<?> view(Class<?> record, ClassLoader loader) {
        if (!record.isRecord()) {
            throw CliException.usage(record.getName() + " is neither a @Teleportable record nor its view");
        }
        String name = viewName(record);
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw CliException.usage("no view " + name + " for " + record.getName()
                    + ": is it @Teleportable, compiled with dx-teleport-processor?");
        }
    }

    /** {@code p.Outer_XxxView} for {@code p.Outer.Xxx}, as the processor names it. */
    static String viewName(Class<?> record) {
        Deque<String> names = new ArrayDeque<>();
        for (Class<?> c = record; c != null; c = c.getEnclosingClass()) {
            names.addFirst(c.getSimpleName());
        }
        String pkg = record.getPackageName();
        return (pkg.isEmpty() ? "" : pkg + ".") + String.join("_", names) + "View";
    }

    /** Loads {@code name}, also when a nested class is written with dots ({@code p.Outer.Inner}). */
    private static Class<?> find(String name, ClassLoader loader) {
        String candidate = name;
        while (true) {
            try {
                return Class.forName(candidate, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                int dot = candidate.lastIndexOf('.');
                if (dot < 0) {
                    return null;
                }
                candidate = candidate.substring(0, dot) + '$' + candidate.substring(dot + 1);
            }
        }
    }

    private static ClassLoader loader(String classPath) {
        ClassLoader parent = TeleportJson.class.getClassLoader();
        if (classPath == null || classPath.isBlank()) {
            return parent;
        }
        List<URL> urls = new ArrayList<>();
        for (String entry : PATH_SEPARATOR.split(classPath)) {
            if (entry.isBlank()) {
                continue;
            }
            File file = new File(entry.trim());
            if (!file.exists()) {
                throw CliException.usage("class path entry " + entry + " does not exist");
            }
            try {
                urls.add(file.toURI().toURL());
            } catch (MalformedURLException e) {
                throw CliException.usage("class path entry " + entry + ": " + e.getMessage());
            }
        }
        // Lives as long as the command: the classes it loads are used to the end.
        return new URLClassLoader(urls.toArray(URL[]::new), parent);
    }

    /**
     * The message at the reader index of {@code payload}, validated (UTF-8 included) and copied into its
     * record.
     *
     * @throws CliException {@link ExitCode#FAILED} when the bytes are not a valid message of the type
     */
    Object toRecord(ByteBuf payload) {
        try {
            TeleportView<?> view = (TeleportView<?>) viewConstructor.newInstance();
            validateUtf8.invoke(view, true);
            view.rewrap(payload, payload.readerIndex());
            return toRecord.invoke(view);
        } catch (TeleportFormatException e) {
            throw CliException.failed("not a valid " + typeName + " message: " + e.getMessage());
        } catch (InvocationTargetException e) {
            throw CliException.failed("cannot read a " + typeName + " message: " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw CliException.failed("cannot use the view of " + typeName + ": " + e);
        }
    }
}
