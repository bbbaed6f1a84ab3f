package dev.dxreactor.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One figure per round for each named variant, in the order the rounds ran, and what the reports take of them:
 * a variant's median, fastest and slowest round, and its per-round ratios against a baseline.
 */
public final class RoundFigures {

    private final Map<String, List<Double>> figures = new LinkedHashMap<>();

    /** Appends {@code variant}'s figure of the round under way. */
    public void add(String variant, double figure) {
        figures.computeIfAbsent(variant, k -> new ArrayList<>()).add(figure);
    }

    /** The variants in the order their first figure came. */
    public List<String> variants() {
        return List.copyOf(figures.keySet());
    }

    /** Whether {@code variant} has a figure. */
    public boolean has(String variant) {
        return figures.containsKey(variant);
    }

    /** {@code variant}'s figures, one per round. */
    public double[] of(String variant) {
        List<Double> values = figures.get(variant);
        if (values == null) {
            throw new IllegalArgumentException("no figures for " + variant + "; measured: " + figures.keySet());
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** {@code variant}'s figure of the latest round. */
    public double last(String variant) {
        double[] values = of(variant);
        return values[values.length - 1];
    }

    /** The median of {@code variant}'s per-round figures. */
    public double median(String variant) {
        return Stats.median(of(variant));
    }

    /** {@code variant}'s lowest per-round figure. */
    public double min(String variant) {
        return Stats.min(of(variant));
    }

    /** {@code variant}'s highest per-round figure. */
    public double max(String variant) {
        return Stats.max(of(variant));
    }

    /** {@code variant}'s figure over {@code baseline}'s, round by round. */
    public double[] ratios(String variant, String baseline) {
        return Stats.ratios(of(variant), of(baseline));
    }

    /** The median of {@link #ratios}: the ratio the reports judge. */
    public double medianRatio(String variant, String baseline) {
        return Stats.median(ratios(variant, baseline));
    }
}
