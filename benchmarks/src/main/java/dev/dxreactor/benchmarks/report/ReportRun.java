package dev.dxreactor.benchmarks.report;

import dev.dxreactor.benchmarks.ForkEnvironment;
import dev.dxreactor.benchmarks.JmhUnsafeWarningFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * One run of a report main: from its start (the load average, the clock, a file for the forks to record their
 * environment in) to the Markdown file and its PNG charts in {@code benchmarks/results/}.
 */
public final class ReportRun implements AutoCloseable {

    /** System property that sends a report to another file than {@code benchmarks/results/<name>.md}. */
    public static final String OUT_PROPERTY = "dx.bench.out";

    private final String name;
    private final Path environmentFile;
    private final double loadAtStart;
    private final long startNanos;

    private ReportRun(String name, Path environmentFile) {
        this.name = name;
        this.environmentFile = environmentFile;
        this.loadAtStart = Environment.loadAverage();
        this.startNanos = System.nanoTime();
    }

    /**
     * Starts the run of report {@code name} (its results file is {@code <name>.md}) and quiets JMH's Unsafe
     * warning in this JVM.
     */
    public static ReportRun start(String name) throws IOException {
        JmhUnsafeWarningFilter.install();
        return new ReportRun(name, Files.createTempFile("dx-bench-env", ".properties"));
    }

    /** The flag that has a fork record its environment for this run ({@code ForkEnvironment}). */
    public String environmentFlag() {
        return "-D" + ForkEnvironment.FILE_PROPERTY + "=" + environmentFile;
    }

    /** Ends the measuring: the load at the end, the wall time, and what the forks recorded. */
    public Environment finish() throws IOException {
        double loadAtEnd = Environment.loadAverage();
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        return new Environment(ForkEnvironment.read(environmentFile), loadAtStart, loadAtEnd, took,
                ZonedDateTime.now());
    }

    /**
     * Writes {@code markdown}, followed by a "Charts" section showing each chart, to the results file and each
     * chart beside it as a PNG; then prints {@code summary} and where the results went. Returns the results file.
     */
    public Path publish(Environment env, String markdown, List<Chart> charts, String summary) throws IOException {
        Path out = resultsFile(name);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, markdown + chartsSection(out, charts), StandardCharsets.UTF_8);
        for (Chart chart : charts) {
            chart.writePng(chartFile(out, chart));
        }
        System.out.println();
        System.out.print(summary);
        System.out.println("wrote " + out + " (" + env.took().toSeconds() + " s)");
        return out;
    }

    /** Each chart shown by the file name {@link #publish} gives it; empty without charts. */
    private static String chartsSection(Path out, List<Chart> charts) {
        if (charts.isEmpty()) {
            return "";
        }
        List<String> images = charts.stream()
                .map(chart -> "![" + chart.title() + "](" + chartFile(out, chart).getFileName() + ")").toList();
        return "\n## Charts\n\n" + String.join("\n\n", images) + "\n";
    }

    /** {@code <report>-<chart>.png} beside {@code markdown}, {@code <report>} its name without {@code .md}. */
    public static Path chartFile(Path markdown, Chart chart) {
        String file = markdown.getFileName().toString();
        String base = file.endsWith(".md") ? file.substring(0, file.length() - 3) : file;
        return markdown.resolveSibling(base + "-" + chart.name() + ".png");
    }

    /**
     * {@code benchmarks/results/<name>.md} from the project root or the module, unless {@value #OUT_PROPERTY}
     * says otherwise.
     */
    public static Path resultsFile(String name) {
        String configured = System.getProperty(OUT_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path module = Files.isDirectory(Path.of("benchmarks", "src")) ? Path.of("benchmarks") : Path.of(".");
        return module.resolve("results").resolve(name + ".md");
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(environmentFile);
    }
}
