package dev.dxreactor.benchmarks.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChartPngTest {

    @TempDir
    Path dir;

    @Test
    void theMediansChartIsWrittenAsAPngOfTheChartsSize() throws Exception {
        RoundFigures figures = new RoundFigures();
        for (double f : new double[] {10, 12, 11}) {
            figures.add("fused", f);
            figures.add("separate", f * 3);
        }
        Path file = dir.resolve("sub").resolve("cim-chain-medians.png");

        Chart.medians("medians", "ns per request", "ns", figures, List.of("fused", "separate")).writePng(file);

        assertDecodesAtChartSize(file);
    }

    @Test
    void theRatiosChartIsWrittenAsAPngEvenWithARoundThatHasNoRatio() throws Exception {
        Map<String, double[]> ratios = new LinkedHashMap<>();
        ratios.put("fused / handWritten", new double[] {1.02, 1.10, 0.98});
        ratios.put("overhead ratio", new double[] {0.1, Double.NaN, 0.3});
        Path file = dir.resolve("ratios.png");

        Chart.ratios("ratios", "per-round ratios", ratios, 0.5).writePng(file);

        assertDecodesAtChartSize(file);
    }

    @Test
    void theGroupedChartIsWrittenAsAPngOnALogAxis() throws Exception {
        Map<String, List<Double>> latency = new LinkedHashMap<>();
        latency.put("p50", List.of(180.0, 16_000.0));
        latency.put("p99", List.of(400.0, 75_000.0));
        Path file = dir.resolve("latency.png");

        Chart.grouped("latency", "latency percentiles", "µs", List.of("raw", "grpc"), latency, true).writePng(file);

        assertDecodesAtChartSize(file);
    }

    @Test
    void aReportRunWritesItsChartsBesideItsMarkdownAndShowsThemThere() throws Exception {
        Path markdown = dir.resolve("hbtp-codec.md");
        System.setProperty(ReportRun.OUT_PROPERTY, markdown.toString());
        try (ReportRun run = ReportRun.start("hbtp-codec")) {
            RoundFigures figures = new RoundFigures();
            figures.add("a", 1);
            Path written = run.publish(run.finish(), "# hbtp-codec\n", List.of(Chart.medians("medians",
                    "the medians", "ns", figures, List.of("a"))), "summary\n");

            assertThat(written).isEqualTo(markdown);
            assertThat(Files.readString(markdown))
                    .isEqualTo("# hbtp-codec\n\n## Charts\n\n![the medians](hbtp-codec-medians.png)\n");
            assertDecodesAtChartSize(dir.resolve("hbtp-codec-medians.png"));
        } finally {
            System.clearProperty(ReportRun.OUT_PROPERTY);
        }
    }

    @Test
    void aFileNameWithoutThePngExtensionIsRefused() {
        RoundFigures figures = new RoundFigures();
        figures.add("a", 1);
        Chart chart = Chart.medians("m", "t", "ns", figures, List.of("a"));

        assertThatThrownBy(() -> chart.writePng(dir.resolve("chart.jpg"))).hasMessageContaining(".png");
    }

    private static void assertDecodesAtChartSize(Path file) throws Exception {
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(Chart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(Chart.HEIGHT);
    }
}
