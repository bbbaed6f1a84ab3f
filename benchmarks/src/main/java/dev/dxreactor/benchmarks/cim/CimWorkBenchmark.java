package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.cim.FixedHeaders;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The middlewares' own work in {@link CimChainBenchmark}, piece by piece, each alone in a loop: what every
 * variant but {@code bare} does per request whatever its chain mechanism, so the part of the overhead the
 * overhead bar cannot remove. Each piece is a step of {@link HandWrittenHandler} (the steps of the built-in
 * middlewares) on the measured request; the pieces that write headers write them on a new answer of the
 * application, as in a request, and {@link #answer} measures making and releasing that answer alone, to be
 * taken off them. A piece measured alone runs with warm caches and predicted branches.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {CimChainBenchmark.NATIVE_ACCESS, CimChainBenchmark.NO_LEAK_DETECTION})
public class CimWorkBenchmark {

    private FullHttpRequest request;
    private LoopRateLimiter limiter;
    private StepClock clock;
    private SocketAddress remote;

    @Setup(Level.Trial)
    public void setUp() {
        request = BenchRequests.api();
        limiter = new LoopRateLimiter(ChainRules.NEVER_REFUSING);
        clock = new StepClock();
        EmbeddedChannel channel = new EmbeddedChannel();
        remote = channel.remoteAddress();
        channel.finishAndReleaseAll();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        request.release();
    }

    /** API key: the {@code X-Api-Key} header looked up and compared. */
    @Benchmark
    public boolean apiKey() {
        return ChainRules.API_KEY.equals(request.headers().get(ChainRules.API_KEY_HEADER));
    }

    /** Rate limit: a clock reading and a token from the loop's buckets. */
    @Benchmark
    public long rateLimit() {
        return limiter.acquire(remote, clock.getAsLong());
    }

    /** CORS before: the {@code Origin} looked up and switched on, and the preflight test. */
    @Benchmark
    public FixedHeaders corsCheck() {
        FixedHeaders allowed = ChainRules.originHeaders(request.headers().get(HttpHeaderNames.ORIGIN));
        return Responses.isPreflight(request) ? null : allowed;
    }

    /** The application's answer made and released: what the two pieces below include besides their work. */
    @Benchmark
    public FullHttpResponse answer() {
        FullHttpResponse response = BenchApplication.answer(request);
        response.release();
        return response;
    }

    /** CORS after: {@code Access-Control-Allow-Origin} and {@code Vary} set on a new answer. */
    @Benchmark
    public FullHttpResponse corsHeaders() {
        FullHttpResponse response = BenchApplication.answer(request);
        ChainRules.ORIGIN_HEADERS.setOn(response.headers());
        response.release();
        return response;
    }

    /** Timing: two clock readings, the micros formatted and set as {@code X-Response-Time} on a new answer. */
    @Benchmark
    public FullHttpResponse timing() {
        FullHttpResponse response = BenchApplication.answer(request);
        long start = clock.getAsLong();
        response.headers().set(ChainRules.RESPONSE_TIME, ChainRules.responseTime(clock.getAsLong() - start));
        response.release();
        return response;
    }
}
