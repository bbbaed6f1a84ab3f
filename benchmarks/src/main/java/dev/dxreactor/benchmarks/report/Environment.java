package dev.dxreactor.benchmarks.report;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Properties;

/**
 * What a report run ran on: what a forked benchmark JVM recorded of itself ({@code ForkEnvironment}: JDK, OS and
 * CPUs, Netty and its choices, the JVM's flags), the machine's load at the start and end of the run, when it
 * finished and how long it took.
 */
public final class Environment {

    private final Properties fork;
    private final double loadAtStart;
    private final double loadAtEnd;
    private final Duration took;
    private final ZonedDateTime finished;

    /** {@code fork} as {@code ForkEnvironment.read} returns it, empty if no fork wrote it. */
    public Environment(Properties fork, double loadAtStart, double loadAtEnd, Duration took, ZonedDateTime finished) {
        this.fork = fork;
        this.loadAtStart = loadAtStart;
        this.loadAtEnd = loadAtEnd;
        this.took = took;
        this.finished = finished;
    }

    /** The one-minute load average of the machine: with 2 CPUs, near 1 or above means a fork had company. */
    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** {@code JMH <version>}, of the harness this runner links. */
    public static String jmhVersion() {
        return "JMH " + org.openjdk.jmh.util.Version.getPlainVersion();
    }

    /** A fork's recorded property, or {@code ?} if none recorded it. */
    public String fork(String key) {
        return fork.getProperty(key, "?");
    }

    /** The fork's OS, architecture and CPU count. */
    public String os() {
        return fork("os");
    }

    public double loadAtStart() {
        return loadAtStart;
    }

    public double loadAtEnd() {
        return loadAtEnd;
    }

    /** The run's wall time. */
    public Duration took() {
        return took;
    }

    /**
     * Whether Netty used {@code sun.misc.Unsafe} in a fork; {@code notUsed} is the words for "no", followed by
     * Netty's reason.
     */
    public String unsafeLine(String notUsed) {
        String unsafe = fork.getProperty("netty.unsafe");
        if (unsafe == null) {
            return "?";
        }
        if (Boolean.parseBoolean(unsafe)) {
            return "used";
        }
        String cause = fork.getProperty("netty.unsafe.cause", "");
        return notUsed + (cause.isEmpty() ? "" : "; Netty says: " + cause);
    }

    /**
     * The line under a report's title: which runner wrote it and when (minutes, UTC), {@code after} the date
     * (e.g. the wall time), and that it is rerun rather than edited.
     */
    public String writtenBy(Class<?> runner, String after) {
        return "Written by `" + runner.getName() + "` on "
                + finished.withZoneSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))
                + " UTC" + after + "; rerun it (command in `benchmarks/README.md`) rather than editing this file.\n\n";
    }

    /** The "How it was run" table, its rows in the order they are added. */
    public HowItWasRun howItWasRun() {
        return new HowItWasRun(this);
    }
}
