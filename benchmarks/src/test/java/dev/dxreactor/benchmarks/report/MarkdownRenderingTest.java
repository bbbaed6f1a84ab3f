package dev.dxreactor.benchmarks.report;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MarkdownRenderingTest {

    @Test
    void aTableAlignsFiguresRightAndFormatsPerRoundValuesInTheRootLocale() {
        String table = MarkdownTable.perRound(3, "payload", "benchmark")
                .row("%.1f", new double[] {1.24, 10, 1234.5}, "1 KiB", "`hbtpDecode`")
                .row("64 B", "`hbtpEncode`", "1", "2", "3")
                .render();

        assertThat(table).isEqualTo("""
                | payload | benchmark | round 1 | round 2 | round 3 |
                | --- | --- | ---: | ---: | ---: |
                | 1 KiB | `hbtpDecode` | 1.2 | 10.0 | 1234.5 |
                | 64 B | `hbtpEncode` | 1 | 2 | 3 |
                """);
    }

    @Test
    void blankHeadersRenderAsEmptyCells() {
        assertThat(MarkdownTable.keyValue().row("a", "b").render()).isEqualTo("| | |\n| --- | --- |\n| a | b |\n");
        assertThat(MarkdownTable.perRound(1, "").render()).isEqualTo("| | round 1 |\n| --- | ---: |\n");
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsRefused() {
        MarkdownTable table = new MarkdownTable().left("a").right("b");

        assertThatThrownBy(() -> table.row("only one")).hasMessage("1 cells for 2 columns");
    }

    @Test
    void theHowItWasRunSectionShowsTheForksEnvironmentInTheOrderAsked() {
        Properties fork = new Properties();
        fork.setProperty("java.version", "25.0.1");
        fork.setProperty("java.vm", "OpenJDK 64-Bit Server VM 25.0.1+8 (Eclipse Adoptium)");
        fork.setProperty("os", "Linux amd64, 2 CPUs");
        fork.setProperty("netty.version", "4.2.17.Final");
        fork.setProperty("netty.allocator", "AdaptiveByteBufAllocator");
        fork.setProperty("netty.leakDetection", "DISABLED");
        fork.setProperty("netty.unsafe", "false");
        fork.setProperty("netty.unsafe.cause", "sun.misc.Unsafe: disabled");
        fork.setProperty("jvm.args", "-Dio.netty.leakDetection.level=disabled -Xmx1g");
        Environment env = new Environment(fork, 1.5, 0.25, Duration.ofMillis(61_900),
                ZonedDateTime.of(2026, 12, 6, 15, 4, 59, 0, ZoneOffset.ofHours(2)));

        String section = env.howItWasRun()
                .jdkOsAndLoad()
                .netty()
                .row("Extra", "a report's own row")
                .unsafe("not used")
                .jvmFlags(List.of("-Dio.netty.leakDetection.level=disabled"), ": leak detection off")
                .jmh("average time; 3 rounds")
                .wallTime()
                .render();

        assertThat(section).isEqualTo("""
                ## How it was run

                | | |
                | --- | --- |
                | JDK | 25.0.1, OpenJDK 64-Bit Server VM 25.0.1+8 (Eclipse Adoptium) |
                | OS, CPUs | Linux amd64, 2 CPUs |
                | Load average (1 min) | 1.50 when the run started, 0.25 when it ended; other processes on the machine count too |
                | Netty | 4.2.17.Final, allocator AdaptiveByteBufAllocator, leak detection DISABLED |
                | Extra | a report's own row |
                | `sun.misc.Unsafe` in Netty | not used; Netty says: sun.misc.Unsafe: disabled |
                | JVM flags we set | `-Dio.netty.leakDetection.level=disabled`: leak detection off |
                | JVM flags as seen in a fork | `-Dio.netty.leakDetection.level=disabled -Xmx1g` (the rest are JMH's own) |
                | JMH | %s, average time; 3 rounds |
                | Wall time | 61 s |

                """.formatted(Environment.jmhVersion()));
        assertThat(env.writtenBy(MarkdownRenderingTest.class, " in 61 s")).isEqualTo("Written by `"
                + MarkdownRenderingTest.class.getName() + "` on 2026-12-06 13:04 UTC in 61 s; rerun it (command in "
                + "`benchmarks/README.md`) rather than editing this file.\n\n");
    }

    @Test
    void anEnvironmentNoForkRecordedShowsQuestionMarks() {
        Environment env = new Environment(new Properties(), 0, 0, Duration.ZERO, ZonedDateTime.now());

        assertThat(env.os()).isEqualTo("?");
        assertThat(env.unsafeLine("not used")).isEqualTo("?");
    }
}
