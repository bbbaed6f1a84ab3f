package dev.dxreactor.dbteleport;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The parameters a registered query takes: how many ({@code $1 .. $n} in its SQL) and of which Java types.
 * A call with the wrong count or a wrong type is refused before anything is sent to the database.
 */
final class Parameters {

    /**
     * Types accepted when a query does not declare its own: immutable values with value equality (they are
     * part of the cache key) that r2dbc-postgresql binds.
     */
    static final Set<Class<?>> SUPPORTED = Set.of(String.class, Integer.class, Long.class, Short.class,
            Boolean.class, Double.class, Float.class, BigDecimal.class, UUID.class, LocalDate.class,
            LocalTime.class, LocalDateTime.class, OffsetDateTime.class, Instant.class);

    private final String queryId;
    private final List<Class<?>> types;

    private Parameters(String queryId, List<Class<?>> types) {
        this.queryId = queryId;
        this.types = types;
    }

    /** Any {@link #SUPPORTED} type for each placeholder of {@code sql}. */
    static Parameters inferred(String queryId, String sql) {
        int count = placeholderCount(queryId, sql);
        List<Class<?>> types = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            types.add(null);
        }
        return new Parameters(queryId, types);
    }

    /**
     * Exactly {@code types}, which must match the placeholders of {@code sql} in number.
     *
     * @throws IllegalArgumentException when the numbers differ or a type is not {@link #SUPPORTED}
     */
    static Parameters declared(String queryId, String sql, List<Class<?>> types) {
        int count = placeholderCount(queryId, sql);
        if (types.size() != count) {
            throw new IllegalArgumentException("query '" + queryId + "' declares " + types.size()
                    + " parameter types but its SQL uses " + count + " placeholders");
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            Class<?> type = types.get(i);
            if (type == null || !SUPPORTED.contains(type)) {
                problems.add("$" + (i + 1) + ": " + (type == null ? "null" : type.getName()));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("query '" + queryId + "' declares unsupported parameter types "
                    + problems + "; supported: " + supportedNames());
        }
        return new Parameters(queryId, List.copyOf(types));
    }

    int count() {
        return types.size();
    }

    /**
     * @throws IllegalArgumentException when {@code params} has the wrong size, a null or a value of the
     *                                  wrong type (all wrong values are named)
     */
    void check(List<?> params) {
        if (params == null) {
            throw new IllegalArgumentException("query '" + queryId + "': parameters are null; pass List.of()");
        }
        if (params.size() != types.size()) {
            throw new IllegalArgumentException("query '" + queryId + "' takes " + types.size() + " parameter"
                    + (types.size() == 1 ? "" : "s") + ", got " + params.size());
        }
        List<String> problems = null;
        for (int i = 0; i < params.size(); i++) {
            Object value = params.get(i);
            String problem = problem(types.get(i), value);
            if (problem != null) {
                if (problems == null) {
                    problems = new ArrayList<>();
                }
                problems.add("$" + (i + 1) + " " + problem);
            }
        }
        if (problems != null) {
            throw new IllegalArgumentException("query '" + queryId + "': " + String.join("; ", problems));
        }
    }

    private static String problem(Class<?> expected, Object value) {
        if (value == null) {
            return "is null (null parameters are not supported)";
        }
        if (expected != null) {
            return expected == value.getClass() ? null
                    : "must be " + expected.getSimpleName() + ", got " + value.getClass().getName();
        }
        return SUPPORTED.contains(value.getClass()) ? null
                : "has unsupported type " + value.getClass().getName() + "; supported: " + supportedNames();
    }

    private static List<String> supportedNames() {
        return SUPPORTED.stream().map(Class::getSimpleName).sorted().toList();
    }

    /**
     * The highest {@code $n} in {@code sql}, skipping string literals, quoted identifiers, comments and
     * dollar-quoted strings.
     *
     * @throws IllegalArgumentException when a number in between is not used (PostgreSQL could not type it)
     */
    static int placeholderCount(String queryId, String sql) {
        BitSet used = new BitSet();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                i = skipQuoted(sql, i, c);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i);
            } else if (c == '$' && (i == 0 || !isIdentifierPart(sql.charAt(i - 1)))) {
                int j = i + 1;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                if (j > i + 1) {
                    used.set(Integer.parseInt(sql.substring(i + 1, j)));
                    i = j;
                } else {
                    i = skipDollarQuoted(sql, i);
                }
            } else {
                i++;
            }
        }
        int count = used.length() == 0 ? 0 : used.length() - 1;
        if (used.get(0)) {
            throw new IllegalArgumentException("query '" + queryId + "' uses $0; placeholders start at $1");
        }
        for (int k = 1; k <= count; k++) {
            if (!used.get(k)) {
                throw new IllegalArgumentException("query '" + queryId + "' uses $" + count + " but not $" + k);
            }
        }
        return count;
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static int skipQuoted(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return i;
    }

    private static int skipBlockComment(String sql, int start) {
        int depth = 0;
        int i = start;
        while (i < sql.length()) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return i;
    }

    /** From a {@code $} that starts no placeholder: a {@code $tag$ ... $tag$} string, or just the sign. */
    private static int skipDollarQuoted(String sql, int start) {
        int j = start + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        if (j >= sql.length() || sql.charAt(j) != '$') {
            return start + 1;
        }
        String tag = sql.substring(start, j + 1);
        int end = sql.indexOf(tag, j + 1);
        return end < 0 ? sql.length() : end + tag.length();
    }
}
