package dev.dxreactor.examples.showcase;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Prometheus text exposition format as a scraper does: every line is a comment ({@code # HELP},
 * {@code # TYPE}), empty, or one sample {@code name{labels} value}; anything else fails the read.
 */
final class PrometheusText {

    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*})? "
                    + "([-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|NaN|Inf))( -?[0-9]+)?");

    private PrometheusText() {
    }

    /** Each sample's {@code name{labels}} and its value, in order. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("line " + number + " is not a Prometheus sample: " + line);
            }
            String value = m.group(3);
            double parsed = value.endsWith("Inf") ? (value.startsWith("-") ? Double.NEGATIVE_INFINITY
                    : Double.POSITIVE_INFINITY) : Double.parseDouble(value);
            String key = m.group(1) + (m.group(2) == null ? "" : m.group(2));
            if (samples.put(key, parsed) != null) {
                throw new AssertionError("sample given twice: " + key);
            }
        }
        return samples;
    }

    /** The sum of the samples named {@code name} whose labels contain every one of {@code labels}. */
    static double sum(Map<String, Double> samples, String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            String key = sample.getKey();
            if (!key.equals(name) && !key.startsWith(name + "{")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= key.contains(label);
            }
            if (all) {
                found = true;
                sum += sample.getValue();
            }
        }
        if (!found) {
            throw new AssertionError("no sample " + name + " with " + String.join(", ", labels));
        }
        return sum;
    }
}
