package dev.dxreactor.benchmarks.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A PNG chart of a report, drawn by XChart: the variants' medians with their fastest and slowest rounds, or
 * per-round ratios against a bar. A report writes its charts beside its Markdown file, named
 * {@code <report>-<name>.png}.
 */
public final class Chart {

    /** Pixels; enough for a dozen labelled bars. */
    static final int WIDTH = 1000;
    static final int HEIGHT = 560;

    private final String name;
    private final String title;
    private final org.knowm.xchart.internal.chartpart.Chart<?, ?> chart;

    private Chart(String name, String title, org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        this.name = name;
        this.title = title;
        this.chart = chart;
    }

    /** The chart's title, also its alternative text in the Markdown. */
    public String title() {
        return title;
    }

    /** The part of the file name after the report's: {@code <report>-<name>.png}. */
    public String name() {
        return name;
    }

    /**
     * A bar per variant at its median figure, with markers at its lowest and highest round: how far the rounds
     * spread around what the report shows.
     */
    public static Chart medians(String name, String title, String unit, RoundFigures figures, List<String> variants) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .yAxisTitle(unit).build();
        style(chart.getStyler());
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        List<Double> medians = new ArrayList<>();
        List<Double> mins = new ArrayList<>();
        List<Double> maxes = new ArrayList<>();
        for (String variant : variants) {
            medians.add(figures.median(variant));
            mins.add(figures.min(variant));
            maxes.add(figures.max(variant));
        }
        chart.addSeries("median of the rounds", variants, medians);
        CategorySeries low = chart.addSeries("lowest round", variants, mins);
        low.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        low.setMarker(SeriesMarkers.TRIANGLE_DOWN);
        CategorySeries high = chart.addSeries("highest round", variants, maxes);
        high.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        high.setMarker(SeriesMarkers.TRIANGLE_UP);
        return new Chart(name, title, chart);
    }

    /**
     * Bars side by side per category, one series per entry of {@code series} (in its order), each with a value per
     * category: for example the p50 and p99 latency of each variant. {@code logarithmic} puts the values on a
     * log axis, so that variants a hundred times apart stay readable on one chart; the values must then be
     * positive.
     */
    public static Chart grouped(String name, String title, String unit, List<String> categories,
                                Map<String, List<Double>> series, boolean logarithmic) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .yAxisTitle(unit).build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        if (logarithmic) {
            chart.getStyler().setYAxisLogarithmic(true);
            // XChart's bars start at 0, which a log axis refuses; they start at the power of ten below the least.
            double least = series.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).min()
                    .orElse(1);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(least))));
        }
        for (Map.Entry<String, List<Double>> values : series.entrySet()) {
            chart.addSeries(values.getKey(), categories, values.getValue());
        }
        return new Chart(name, title, chart);
    }

    /**
     * A line per ratio through its per-round values (rounds 1 onwards), and a dashed line at {@code bar} unless
     * it is NaN. A round without a ratio (NaN) leaves a gap.
     */
    public static Chart ratios(String name, String title, Map<String, double[]> perRound, double bar) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("round")
                .yAxisTitle("ratio").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisDecimalPattern("0");
        int rounds = 0;
        for (Map.Entry<String, double[]> ratio : perRound.entrySet()) {
            double[] values = ratio.getValue();
            rounds = Math.max(rounds, values.length);
            chart.addSeries(ratio.getKey(), roundNumbers(values.length), values)
                    .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        if (!Double.isNaN(bar) && rounds > 0) {
            double[] level = new double[rounds];
            Arrays.fill(level, bar);
            XYSeries line = chart.addSeries("bar", roundNumbers(rounds), level);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineStyle(new java.awt.BasicStroke(2f, java.awt.BasicStroke.CAP_BUTT,
                    java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
        }
        return new Chart(name, title, chart);
    }

    /** Writes the chart as a PNG to {@code file}, whose name must end in {@code .png}. */
    public void writePng(Path file) throws IOException {
        if (!file.getFileName().toString().endsWith(".png")) {
            throw new IllegalArgumentException(file + ": a PNG file name ends in .png");
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static double[] roundNumbers(int rounds) {
        return IntStream.rangeClosed(1, rounds).asDoubleStream().toArray();
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        styler.setLegendVisible(true);
    }
}
