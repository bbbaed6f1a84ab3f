package dev.dxreactor.examples.showcase.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads typed settings out of a merged configuration and, instead of stopping at the first bad one, notes each
 * mistake with its path, value, origin, rule and a suggestion. Every getter returns a usable value (the default's,
 * when the given one is bad) so that reading goes on and cross-checks can skip settings already reported.
 */
final class ConfigReader {

    private final Config config;
    private final Config defaults;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Set<String> reported = new HashSet<>();

    ConfigReader(Config config, Config defaults) {
        this.config = config;
        this.defaults = defaults;
    }

    List<ConfigProblem> problems() {
        return problems;
    }

    /** Whether {@code path} was read without a mistake (so cross-checks may use it). */
    boolean ok(String path) {
        return !reported.contains(path);
    }

    String string(String path) {
        ConfigValue value;
        try {
            if (config.getIsNull(path)) {
                return null;
            }
            value = config.getValue(path);
        } catch (ConfigException e) {
            // A section given as a plain value ("hbtp = 7008") hides the settings in it.
            problem(path, "cannot be read: " + e.getMessage(), render(defaults.getValue(path)));
            return null;
        }
        if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
            problem(path, "must be a single value, not " + value.valueType().name().toLowerCase(Locale.ROOT),
                    render(defaults.getValue(path)));
            return null;
        }
        return String.valueOf(value.unwrapped());
    }

    int intIn(String path, int min, int max, String suggestion) {
        long value = longIn(path, min, max, suggestion, Config::getLong, "a whole number");
        return (int) value;
    }

    long bytesIn(String path, long min, long max, String suggestion) {
        return longIn(path, min, max, suggestion, Config::getBytes,
                "a size in bytes (a number, or with a unit such as 64KiB, 16MiB)");
    }

    private long longIn(String path, long min, long max, String suggestion, Getter<Long> getter, String kind) {
        long fallback = getter.get(defaults, path);
        long value;
        try {
            value = getter.get(config, path);
        } catch (ConfigException e) {
            problem(path, "must be " + kind + " from " + min + " to " + max, suggestion);
            return fallback;
        }
        if (value < min || value > max) {
            problem(path, "must be from " + min + " to " + max, suggestion);
            return fallback;
        }
        return value;
    }

    double positiveDouble(String path, String suggestion) {
        double fallback = defaults.getDouble(path);
        try {
            double value = config.getDouble(path);
            if (!(value > 0) || Double.isInfinite(value)) {
                problem(path, "must be a number greater than 0", suggestion);
                return fallback;
            }
            return value;
        } catch (ConfigException e) {
            problem(path, "must be a number greater than 0", suggestion);
            return fallback;
        }
    }

    /** A duration such as {@code 10s} or {@code 500ms}; zero only where {@code zeroAllowed} (it means "off"). */
    Duration duration(String path, boolean zeroAllowed, Duration max, String suggestion) {
        Duration fallback = defaults.getDuration(path);
        String rule = "must be a duration " + (zeroAllowed ? "of 0 (off) or more" : "greater than 0")
                + " and at most " + max.toSeconds() + "s, written with a unit (500ms, 10s, 2m)";
        try {
            Duration value = config.getDuration(path);
            if (value.isNegative() || (value.isZero() && !zeroAllowed) || value.compareTo(max) > 0) {
                problem(path, rule, suggestion);
                return fallback;
            }
            return value;
        } catch (ConfigException e) {
            problem(path, rule, suggestion);
            return fallback;
        }
    }

    boolean bool(String path) {
        try {
            return config.getBoolean(path);
        } catch (ConfigException e) {
            problem(path, "must be true or false", render(defaults.getValue(path)));
            return defaults.getBoolean(path);
        }
    }

    /** One of {@code allowed} (ignoring case); the result is upper case. */
    String choice(String path, Collection<String> allowed) {
        String given = string(path);
        if (given != null && allowed.contains(given.toUpperCase(Locale.ROOT))) {
            return given.toUpperCase(Locale.ROOT);
        }
        if (ok(path)) {
            String nearest = Suggestions.nearest(given == null ? "" : given.toUpperCase(Locale.ROOT), allowed);
            problem(path, "must be one of " + String.join(", ", allowed), nearest != null ? nearest
                    : render(defaults.getValue(path)));
        }
        return defaults.getString(path).toUpperCase(Locale.ROOT);
    }

    /** Notes a mistake of {@code path} found by a check of the caller's (the value shown is the given one). */
    void problem(String path, String rule, String suggestion) {
        problem(path, rule, suggestion, UnaryOperator.identity());
    }

    /** As {@link #problem(String, String, String)}, showing the value through {@code redact}. */
    void problem(String path, String rule, String suggestion, UnaryOperator<String> redact) {
        if (!reported.add(path)) {
            return;
        }
        ConfigValue value = valueAt(path);
        problems.add(new ConfigProblem(path, value == null ? null : redact.apply(render(value)),
                value == null ? null : origin(value), rule, suggestion));
    }

    private ConfigValue valueAt(String path) {
        try {
            return config.hasPathOrNull(path) && !config.getIsNull(path) ? config.getValue(path) : null;
        } catch (ConfigException e) {
            return null;
        }
    }

    /** Every setting under {@code root} that the defaults do not have: a typo, or a setting of another version. */
    void unknownSettings(String root) {
        Set<String> known = leafPaths(defaults.getObject(root), root);
        Set<String> given;
        try {
            given = leafPaths(config.getObject(root), root);
        } catch (ConfigException e) {
            return;
        }
        for (String path : given) {
            if (!known.contains(path) && !coversKnown(path, known)) {
                String nearest = Suggestions.nearest(path, known);
                ConfigValue value = valueAt(path);
                reported.add(path);
                problems.add(new ConfigProblem(path, value == null ? "null" : render(value),
                        value == null ? null : origin(value), "is not a setting",
                        nearest != null ? nearest : "one of the settings listed in the defaults (examples/README.md)"));
            }
        }
    }

    /** A section given as a plain value ({@code hbtp = 7008}) is reported by the getters of its settings. */
    private static boolean coversKnown(String path, Set<String> known) {
        for (String k : known) {
            if (k.startsWith(path + ".")) {
                return true;
            }
        }
        return false;
    }

    /** The paths of the values under {@code object}, nulls included (a {@code Config} skips those). */
    static Set<String> leafPaths(ConfigObject object, String prefix) {
        Set<String> paths = new LinkedHashSet<>();
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String path = prefix + "." + entry.getKey();
            if (entry.getValue() instanceof ConfigObject child) {
                paths.addAll(leafPaths(child, path));
            } else {
                paths.add(path);
            }
        }
        return paths;
    }

    private static String render(ConfigValue value) {
        return value.valueType() == ConfigValueType.STRING ? '"' + String.valueOf(value.unwrapped()) + '"'
                : value.render(ConfigRenderOptions.concise());
    }

    private static String origin(ConfigValue value) {
        return value.origin().description();
    }

    @FunctionalInterface
    private interface Getter<T> {
        T get(Config config, String path);
    }
}
