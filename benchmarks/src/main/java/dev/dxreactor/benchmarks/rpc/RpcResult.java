package dev.dxreactor.benchmarks.rpc;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a load client prints as its last line: the answers counted in the measured window, the errors of the
 * whole run, the window's length and the latency percentiles (µs) of the answers in the window.
 */
record RpcResult(long requests, long errors, double seconds, long p50us, long p90us, long p99us, long p999us,
                 long maxus, double serverCpuMicrosPerCall, double clientCpuMicrosPerCall) {

    static final String PREFIX = "RESULT ";

    /** What the client prints: the CPU time per call is the driver's to add ({@link #withCpu}). */
    RpcResult(long requests, long errors, double seconds, long p50us, long p90us, long p99us, long p999us,
              long maxus) {
        this(requests, errors, seconds, p50us, p90us, p99us, p999us, maxus, Double.NaN, Double.NaN);
    }

    /**
     * This result with the CPU time the server and the client processes spent in the measured window (all their
     * threads, kernel time included), per answer counted.
     */
    RpcResult withCpu(long serverCpuNanos, long clientCpuNanos) {
        double calls = Math.max(1, requests);
        return new RpcResult(requests, errors, seconds, p50us, p90us, p99us, p999us, maxus,
                serverCpuNanos / 1e3 / calls, clientCpuNanos / 1e3 / calls);
    }

    /** Answers per second of the measured window. */
    double throughput() {
        return requests / seconds;
    }

    /** The one line of the process contract, seconds with 3 decimals. */
    String line() {
        return String.format(Locale.ROOT, "RESULT requests=%d errors=%d seconds=%.3f p50us=%d p90us=%d p99us=%d "
                + "p999us=%d maxus=%d", requests, errors, seconds, p50us, p90us, p99us, p999us, maxus);
    }

    /** Reads a {@link #line()}; every field must be there, in any order. */
    static RpcResult parse(String line) {
        if (!line.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a RESULT line: " + line);
        }
        Map<String, String> fields = new HashMap<>();
        for (String field : line.substring(PREFIX.length()).trim().split("\\s+")) {
            int eq = field.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not name=value: " + field + " in " + line);
            }
            fields.put(field.substring(0, eq), field.substring(eq + 1));
        }
        return new RpcResult(number(fields, "requests", line), number(fields, "errors", line),
                Double.parseDouble(field(fields, "seconds", line)), number(fields, "p50us", line),
                number(fields, "p90us", line), number(fields, "p99us", line), number(fields, "p999us", line),
                number(fields, "maxus", line));
    }

    private static long number(Map<String, String> fields, String name, String line) {
        return Long.parseLong(field(fields, name, line));
    }

    private static String field(Map<String, String> fields, String name, String line) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no " + name + "= in " + line);
        }
        return value;
    }
}
