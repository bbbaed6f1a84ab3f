package dev.dxreactor.examples.devserver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * What the dev server reports: {@code files_watched}, {@code operations_total}, {@code cache_hit_rate},
 * {@code errors_total}, as JSON (route 3 over HBTP, {@code GET /stats} over HTTP) and as Micrometer meters.
 */
final class DevStats {

    private static final JsonFactory JSON = new JsonFactory();

    private final LongAdder operations = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder reloads = new LongAdder();
    private final IntSupplier filesWatched;

    DevStats(IntSupplier filesWatched) {
        this.filesWatched = filesWatched;
    }

    void operation() {
        operations.increment();
    }

    void error() {
        errors.increment();
    }

    void hit() {
        hits.increment();
    }

    void miss() {
        misses.increment();
    }

    void reload() {
        reloads.increment();
    }

    double cacheHitRate() {
        long h = hits.sum();
        long total = h + misses.sum();
        return total == 0 ? 0 : (double) h / total;
    }

    /** The four figures (and the hot-reload notices sent) as one JSON object. */
    String json() {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeNumberField("files_watched", filesWatched.getAsInt());
            json.writeNumberField("operations_total", operations.sum());
            json.writeNumberField("cache_hit_rate", cacheHitRate());
            json.writeNumberField("errors_total", errors.sum());
            json.writeNumberField("reloads_total", reloads.sum());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** The same figures as meters: {@code devserver.files.watched}, {@code devserver.operations}, ... */
    void bindTo(MeterRegistry registry) {
        Gauge.builder("devserver.files.watched", filesWatched::getAsInt).register(registry);
        FunctionCounter.builder("devserver.operations", operations, LongAdder::sum).register(registry);
        FunctionCounter.builder("devserver.errors", errors, LongAdder::sum).register(registry);
        FunctionCounter.builder("devserver.reloads", reloads, LongAdder::sum).register(registry);
        Gauge.builder("devserver.cache.hit.rate", this, DevStats::cacheHitRate).register(registry);
    }
}
