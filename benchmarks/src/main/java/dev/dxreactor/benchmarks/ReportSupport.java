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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * How a report runner has JMH run its benchmarks: the forks' flags, one fork's options, its result and
 * iteration scores. What it does with them is in {@code dev.dxreactor.benchmarks.report}.
 */
public final class ReportSupport {

    private ReportSupport() {
    }

    /**
     * The flags every fork of a report gets: the report's {@code fixed} ones, then those of
     * {@code dx.bench.jvmArgs} (space separated).
     */
    public static List<String> forkArgs(String... fixed) {
        List<String> args = new ArrayList<>(List.of(fixed));
        String extra = System.getProperty("dx.bench.jvmArgs", "").strip();
        if (!extra.isEmpty()) {
            args.addAll(Arrays.asList(extra.split("\\s+")));
        }
        return List.copyOf(args);
    }

    /** JMH's include pattern for exactly {@code benchmark}'s method {@code method}. */
    public static String exactly(Class<?> benchmark, String method) {
        return "^" + Pattern.quote(benchmark.getName() + "." + method) + "$";
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
}
