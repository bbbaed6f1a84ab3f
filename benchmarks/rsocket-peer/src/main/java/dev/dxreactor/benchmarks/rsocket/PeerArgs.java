package dev.dxreactor.benchmarks.rsocket;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} arguments of the rpc-throughput contract, read strictly: an unknown name, a name
 * without a value, a repeated name or a malformed number is an {@link IllegalArgumentException}, so that a
 * driver that misspells an option fails at once instead of measuring the defaults.
 */
final class PeerArgs {

    private final Map<String, String> values;

    private PeerArgs(Map<String, String> values) {
        this.values = values;
    }

    /** Reads {@code args} as {@code --name value} pairs, accepting only the given names (without the dashes). */
    static PeerArgs parse(String[] args, Set<String> names) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("arguments come as --name value pairs, got an odd count: "
                    + String.join(" ", args));
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String option = args[i];
            if (!option.startsWith("--")) {
                throw new IllegalArgumentException("expected --name, got '" + option + "'");
            }
            String name = option.substring(2);
            if (!names.contains(name)) {
                throw new IllegalArgumentException("unknown option " + option + "; known: --"
                        + String.join(" --", names.stream().sorted().toList()));
            }
            if (values.putIfAbsent(name, args[i + 1]) != null) {
                throw new IllegalArgumentException(option + " given twice");
            }
        }
        return new PeerArgs(values);
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** An integer option in {@code [min, max]}. */
    int integer(String name, int fallback, int min, int max) {
        String text = values.get(name);
        if (text == null) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs an integer, got '" + text + "'", e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("--" + name + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    /** A non-negative, finite number of seconds; fractions are allowed so that tests can run short windows. */
    double seconds(String name, double fallback) {
        String text = values.get(name);
        if (text == null) {
            return fallback;
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a number of seconds, got '" + text + "'", e);
        }
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("--" + name + " must be a finite number >= 0, got " + text);
        }
        return value;
    }
}
