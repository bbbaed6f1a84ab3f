package dev.dxreactor.benchmarks.rsocket;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * What a client run measured, as the contract's {@code RESULT} line.
 *
 * @param requests  answers received and checked inside the measured window
 * @param errors    mismatched answers, failed requests and requests still unanswered at the deadline, over the
 *                  whole run
 * @param seconds   the measured window
 * @param latencyUs send-to-answer latency of the counted requests, in microseconds
 */
record ClientResult(long requests, long errors, double seconds, Histogram latencyUs) {

    String line() {
        return String.format(Locale.ROOT,
                "RESULT requests=%d errors=%d seconds=%.3f p50us=%d p90us=%d p99us=%d p999us=%d maxus=%d",
                requests, errors, seconds, percentile(50), percentile(90), percentile(99), percentile(99.9),
                latencyUs.getTotalCount() == 0 ? 0 : latencyUs.getMaxValue());
    }

    private long percentile(double percentile) {
        return latencyUs.getTotalCount() == 0 ? 0 : latencyUs.getValueAtPercentile(percentile);
    }
}
