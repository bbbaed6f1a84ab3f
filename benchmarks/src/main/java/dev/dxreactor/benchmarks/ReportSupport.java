package dev.dxreactor.benchmarks;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What every report runner needs besides its own benchmark: how a fork is run, where results go, the machine's
 * load, medians.
 */
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

    /**
     * Options for one fresh JVM of the benchmarks {@code include} matches: average time in ns, no warm-up fork,
     * iterations by time, failing on any error. The forks get exactly {@code forkArgs}, set here rather than
     * inherited from this JVM, so that every fork gets the same flags however the runner itself was started; the
     * empty append replaces the benchmark annotation's. Callers add parameters and profilers.
     */
    public static ChainedOptionsBuilder oneFork(String include, List<String> forkArgs, int warmupIterations,
                                                int warmupMillis, int measurementIterations,
                                                int measurementMillis, boolean verbose) {
        return new OptionsBuilder()
                .include(include)
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.NANOSECONDS)
                .forks(1)
                .warmupForks(0)
                .warmupIterations(warmupIterations)
                .warmupTime(TimeValue.milliseconds(warmupMillis))
                .measurementIterations(measurementIterations)
                .measurementTime(TimeValue.milliseconds(measurementMillis))
                .jvmArgs(forkArgs.toArray(String[]::new))
                .jvmArgsAppend()
                .shouldFailOnError(true)
                .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT);
    }

    /**
     * Runs {@code options}, which must select one benchmark, and returns its result; {@code what} names it in
     * the errors.
     */
    public static RunResult runOne(Options options, String what, boolean verbose) throws RunnerException {
        Collection<RunResult> results;
        try {
            results = new Runner(options).run();
        } catch (RunnerException e) {
            throw new RunnerException(what + " failed"
                    + (verbose ? "" : "; -Ddx.bench.verbose=true shows the forked JVM's output"), e);
        }
        if (results.size() != 1) {
            throw new IllegalStateException(results.size() + " results for " + what
                    + "; is the benchmark list in the jar current?");
        }
        return results.iterator().next();
    }

    /** The score of every measured iteration of {@code result}, in the order they ran. */
    public static double[] iterationScores(RunResult result) {
        return result.getBenchmarkResults().stream()
                .flatMap(b -> b.getIterationResults().stream())
                .mapToDouble(i -> i.getPrimaryResult().getScore())
                .toArray();
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
