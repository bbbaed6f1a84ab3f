package dev.dxreactor.hbtp.cli;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What a finished {@code hbtp bench} run reports: a table for people, or one JSON object. */
final class BenchReport {

    /** The percentiles reported, with their names. */
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};
    private static final String[] NAMES = {"p50", "p90", "p99", "p99.9"};

    private final int route;
    private final String address;
    private final String transport;
    private final int connections;
    private final int inFlight;
    private final int payloadBytes;
    private final Expectation expect;
    private final Duration warmup;
    private final long calls;
    private final long passed;
    private final long errors;
    private final long warmupErrors;
    private final double seconds;
    private final Histogram latency;

    BenchReport(int route, Connector connector, int connections, int inFlight, int payloadBytes,
                Expectation expect, Duration warmup, BenchRun run) {
        this.route = route;
        this.address = connector.address();
        this.transport = connector.transportName();
        this.connections = connections;
        this.inFlight = inFlight;
        this.payloadBytes = payloadBytes;
        this.expect = expect;
        this.warmup = warmup;
        this.calls = run.measuredCalls();
        this.passed = run.passed();
        this.errors = run.errors();
        this.warmupErrors = run.warmupErrors();
        this.seconds = run.lastAnswer() == 0 ? 0 : (run.lastAnswer() - run.measureStart()) / 1e9;
        this.latency = run.latencies();
    }

    private double callsPerSecond() {
        return seconds > 0 ? calls / seconds : 0;
    }

    /** A few lines for a terminal. */
    String text() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "route %d on %s (%s): %d connection(s) x %d in flight, %d-byte"
                        + " requests, answers checked: %s%n", route, address, transport, connections, inFlight,
                payloadBytes, expect));
        text.append(String.format(Locale.ROOT, "measured %.2f s after %s of warm-up%n", seconds,
                DurationConverter.format(warmup)));
        text.append(String.format(Locale.ROOT, "calls    %,d (%,.0f/s)%n", calls, callsPerSecond()));
        text.append(String.format(Locale.ROOT, "errors   %,d%s%n", errors,
                warmupErrors > 0 ? String.format(Locale.ROOT, " (and %,d in the warm-up)", warmupErrors) : ""));
        StringBuilder names = new StringBuilder("latency ms");
        StringBuilder values = new StringBuilder(" ".repeat("latency ms".length()));
        for (int i = 0; i < PERCENTILES.length; i++) {
            names.append(String.format(Locale.ROOT, "%10s", NAMES[i]));
            values.append(String.format(Locale.ROOT, "%10.3f", BenchCommand.millis(latency, PERCENTILES[i])));
        }
        names.append(String.format(Locale.ROOT, "%10s%10s", "max", "mean"));
        values.append(String.format(Locale.ROOT, "%10.3f%10.3f", latency.getMaxValue() / 1e6,
                latency.getTotalCount() == 0 ? 0 : latency.getMean() / 1e6));
        text.append(names).append(System.lineSeparator()).append(values);
        return text.toString();
    }

    /** One JSON object: the settings, the counts and the latency percentiles in milliseconds. */
    String json() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("route", route);
        report.put("address", address);
        report.put("transport", transport);
        report.put("connections", connections);
        report.put("inFlight", inFlight);
        report.put("payloadBytes", payloadBytes);
        report.put("expect", expect.toString());
        report.put("warmupSeconds", warmup.toNanos() / 1e9);
        report.put("measuredSeconds", seconds);
        report.put("calls", calls);
        report.put("passed", passed);
        report.put("errors", errors);
        report.put("warmupErrors", warmupErrors);
        report.put("callsPerSecond", callsPerSecond());
        Map<String, Object> millis = new LinkedHashMap<>();
        for (int i = 0; i < PERCENTILES.length; i++) {
            millis.put(NAMES[i], BenchCommand.millis(latency, PERCENTILES[i]));
        }
        millis.put("max", latency.getMaxValue() / 1e6);
        millis.put("mean", latency.getTotalCount() == 0 ? 0.0 : latency.getMean() / 1e6);
        report.put("latencyMillis", millis);
        return Json.write(report);
    }
}
