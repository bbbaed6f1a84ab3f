package dev.dxreactor.benchmarks.report;

import java.util.Arrays;
import java.util.List;

/** The few statistics the reports take of per-round and per-iteration figures. */
public final class Stats {

    private Stats() {
    }

    /** The middle value, or the mean of the two middle values of an even count; {@code values} is not changed. */
    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the median of no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** As {@link #median(double[])}. */
    public static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The smallest value. */
    public static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    /** The largest value. */
    public static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }

    /**
     * {@code of[i] / over[i]} for each round both have: the ratio of two variants measured side by side in the
     * same round, which is what the reports trust, rather than a ratio of figures from different rounds.
     */
    public static double[] ratios(double[] of, double[] over) {
        double[] ratios = new double[Math.min(of.length, over.length)];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = of[i] / over[i];
        }
        return ratios;
    }
}
