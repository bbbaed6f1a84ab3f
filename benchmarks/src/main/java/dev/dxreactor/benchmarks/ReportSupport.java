package dev.dxreactor.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** What every report runner needs besides its own benchmark: where results go, the machine's load, medians. */
public final class ReportSupport {

    /** System property that sends a report to another file than {@code benchmarks/results/<name>}. */
    public static final String OUT_PROPERTY = "dx.bench.out";

    private ReportSupport() {
    }

    /** {@code benchmarks/results/<name>} from the project root or the module, unless {@value #OUT_PROPERTY} says otherwise. */
    public static Path resultsFile(String name) {
        String configured = System.getProperty(OUT_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path module = Files.isDirectory(Path.of("benchmarks", "src")) ? Path.of("benchmarks") : Path.of(".");
        return module.resolve("results").resolve(name);
    }

    /** The one-minute load average of the machine, as reports record it at start and end. */
    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * Whether Netty used {@code sun.misc.Unsafe} in a fork ({@link ForkEnvironment}); {@code notUsed} is the
     * words for "no", followed by Netty's reason.
     */
    public static String unsafeLine(Properties env, String notUsed) {
        String unsafe = env.getProperty("netty.unsafe");
        if (unsafe == null) {
            return "?";
        }
        if (Boolean.parseBoolean(unsafe)) {
            return "used";
        }
        String cause = env.getProperty("netty.unsafe.cause", "");
        return notUsed + (cause.isEmpty() ? "" : "; Netty says: " + cause);
    }

    public static String jmhVersion() {
        return "JMH " + org.openjdk.jmh.util.Version.getPlainVersion();
    }

    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    public static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}
