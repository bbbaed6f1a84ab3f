package dev.dxreactor.benchmarks.rpc;

import java.util.HashMap;
import java.util.Map;

/** The {@code --name value} arguments of a server or client main (see the process contract in the README). */
final class CliArgs {

    private final Map<String, String> values = new HashMap<>();

    private CliArgs(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("arguments come in --name value pairs: " + String.join(" ", args));
        }
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name, got " + args[i]);
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
    }

    static CliArgs parse(String[] args) {
        return new CliArgs(args);
    }

    String string(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    int integer(String name, int otherwise) {
        String value = values.get(name);
        return value == null ? otherwise : Integer.parseInt(value);
    }

    double decimal(String name, double otherwise) {
        String value = values.get(name);
        return value == null ? otherwise : Double.parseDouble(value);
    }
}
