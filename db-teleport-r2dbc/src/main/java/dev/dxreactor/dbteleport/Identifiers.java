package dev.dxreactor.dbteleport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks the names that end up in SQL text (the channel and the tables) and quotes them.
 *
 * <p>Only plain identifiers are accepted: a letter or underscore, then letters, digits, underscores or
 * dollar signs, at most 63 bytes (PostgreSQL's NAMEDATALEN - 1; longer names are silently truncated by the
 * server, so two long names could collide). They are always double-quoted in the SQL, so they match the
 * name as stored in the catalog, case included: a table created as {@code orders} is {@code "orders"}.
 */
final class Identifiers {

    static final int MAX_BYTES = 63;

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private Identifiers() {
    }

    /** {@code name} in double quotes; only for names {@link #problem} accepted. */
    static String quote(String name) {
        return '"' + name + '"';
    }

    /** {@code text} as a single-quoted SQL string literal; only for names {@link #problem} accepted. */
    static String literal(String text) {
        return '\'' + text + '\'';
    }

    /** Why {@code name} is not an acceptable identifier, or {@code null} when it is. */
    static String problem(String what, String name) {
        if (name == null) {
            return what + " is null";
        }
        if (name.isEmpty()) {
            return what + " is empty";
        }
        if (!PLAIN.matcher(name).matches()) {
            return what + " '" + name + "' is not a plain identifier (a letter or _, then letters, digits, _ or $)";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return what + " '" + name + "' is longer than " + MAX_BYTES + " bytes";
        }
        return null;
    }

    /**
     * Checks every name and reports all the bad ones in one exception.
     *
     * @throws IllegalArgumentException naming each bad name and why
     */
    static void check(String what, Collection<String> names) {
        if (names == null) {
            throw new IllegalArgumentException(what + " set is null");
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(what + " set is empty");
        }
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            String problem = problem(what, name);
            if (problem != null) {
                problems.add(problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.size() + " bad " + what + " name"
                    + (problems.size() == 1 ? "" : "s") + ": " + String.join("; ", problems));
        }
    }

    /** @throws IllegalArgumentException when {@code name} is not acceptable */
    static String checkOne(String what, String name) {
        String problem = problem(what, name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return name;
    }
}
