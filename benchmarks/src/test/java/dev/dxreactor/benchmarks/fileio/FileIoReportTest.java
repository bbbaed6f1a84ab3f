package dev.dxreactor.benchmarks.fileio;

import dev.dxreactor.benchmarks.report.Environment;
import dev.dxreactor.benchmarks.report.RoundFigures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class FileIoReportTest {

    @Test
    void speedUpIsAgainstTheFasterJdkWayOfEachRound() {
        RoundFigures f = figures(new double[] {100, 100}, new double[] {200, 120}, new double[] {150, 300});
        assertThat(FileIoReport.speedUps(f)).containsExactly(1.5, 1.2);
    }

    @Test
    void theBarIsJudgedAtFourKibOnlyWarmAndCold() {
        Map<FileIoReport.Case, RoundFigures> figures = new LinkedHashMap<>();
        figures.put(new FileIoReport.Case(4096, false), figures(new double[] {100}, new double[] {140},
                new double[] {160}));
        figures.put(new FileIoReport.Case(65536, false), figures(new double[] {100}, new double[] {300},
                new double[] {300}));
        figures.put(new FileIoReport.Case(4096, true), figures(new double[] {100}, new double[] {400},
                new double[] {200}));
        Environment env = new Environment(new Properties(), 1, 1, Duration.ofSeconds(3), ZonedDateTime.now());
        String md = FileIoReport.render(env, figures,
                new FileIoReport.Settings(1, 1000, 1, 1, 1, 1, 2, 2, "ext4", null));
        assertThat(md).contains("| 4 KiB, warm | 1.40x | >= 1.5x | **no** |")
                .contains("| 64 KiB, warm | 3.00x | none | - |")
                .contains("| 4 KiB, cold | 2.00x | >= 1.5x | yes |");
    }

    @Test
    void droppedFilesLeaveThePageCacheAndAColdBatchReadsThemBack(@TempDir Path dir) throws Exception {
        List<Path> paths = FileIoReport.writeTree(dir, 20, 8192);
        assertThat(PageCache.residentPages(paths, 8192)).isEqualTo(20L * 2);

        PageCache.evict(paths);
        assertThat(PageCache.residentPages(paths, 8192)).isZero();

        FileIoReport.measure(FileIoReport::readLoop, paths, 1, 1, true);
        assertThat(PageCache.residentPages(paths, 8192)).isEqualTo(20L * 2);
    }

    @Test
    void backendsAndJdkReadTheSameBytes(@TempDir Path dir) throws Exception {
        List<Path> paths = FileIoReport.writeTree(dir, 50, 5000);
        assertThat(FileIoReport.readLoop(paths)).isEqualTo(50L * 5000);
        FileIoReport.checkIdentical(paths);
    }

    private static RoundFigures figures(double[] uring, double[] loop, double[] pool) {
        RoundFigures f = new RoundFigures();
        for (int r = 0; r < uring.length; r++) {
            f.add(FileIoReport.URING, uring[r]);
            f.add(FileIoReport.URING_ONE, uring[r]);
            f.add(FileIoReport.FALLBACK, uring[r]);
            f.add(FileIoReport.LOOP, loop[r]);
            f.add(FileIoReport.POOL, pool[r]);
        }
        return f;
    }
}
