package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.benchmarks.ForkEnvironment;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
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
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.concurrent.TimeUnit;

/**
 * One HTTP request through a middleware chain of four (API key, rate limit, timing, CORS) in front of a
 * small application, four ways: the application alone ({@code bare}), the middlewares as four Netty
 * handlers ({@code separate}), dx-cim's generated fused handler ({@code fused}), and one hand-written
 * handler doing the same work ({@code handWritten}); and through a chain of four pass-through middlewares,
 * as four Netty handlers ({@code separatePassThrough}) and fused ({@code fusedPassThrough}); see
 * {@link ChainVariant}.
 *
 * <p>One operation: the prebuilt request (a {@code GET} with the API key and the allowed {@code Origin}),
 * retained, is written into the variant's {@link EmbeddedChannel}, its pipeline answers it, and the
 * {@code FullHttpResponse} it wrote is taken from the channel and released. The middlewares are chosen
 * cheap (a header comparison, a token bucket on a stepping clock, two header writes) so that what the
 * chain itself costs is not hidden by what its middlewares do.
 *
 * <p>Each fork builds only its own variant's channel, after checking that the variant answers a script of
 * requests that walks every branch of the chain exactly as the fused chain does ({@link ChainCheck}), and
 * that the measured channel's first answer is the one the script expects.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {CimChainBenchmark.NATIVE_ACCESS, CimChainBenchmark.NO_LEAK_DETECTION})
public class CimChainBenchmark {

    /** The flag every test JVM of the build runs with (parent pom), so the same Netty code paths load. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Tests track every buffer; a benchmark would measure the tracking, so it is off. */
    public static final String NO_LEAK_DETECTION = "-Dio.netty.leakDetection.level=disabled";

    private EmbeddedChannel channel;
    private FullHttpRequest request;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        ForkEnvironment.recordIfRequested();
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        ChainVariant variant = ChainVariant.ofMethod(method);
        ChainCheck.verify(variant);
        HookTally tally = new HookTally();
        channel = variant.open(ChainRules.NEVER_REFUSING, tally);
        request = BenchRequests.api();
        ChainCheck.Answer expected = ChainCheck.expected(variant, ChainCheck.transcript(ChainVariant.FUSED)).get(0);
        ChainCheck.Answer first = ChainCheck.exchange(channel, request.retain());
        if (!first.equals(expected) || request.refCnt() != 1) {
            throw new IllegalStateException(method + " answers the measured request with " + first + " (request "
                    + "reference count " + request.refCnt() + ", must be 1) where it must answer " + expected);
        }
        ChainCheck.requireHooksRan(variant, tally, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        boolean leftOver = channel.finishAndReleaseAll();
        int refCnt = request.refCnt();
        request.release();
        if (leftOver || refCnt != 1) {
            throw new IllegalStateException("after the run: messages left in the channel " + leftOver
                    + ", request reference count " + refCnt + " (must be 1)");
        }
    }

    @Benchmark
    public FullHttpResponse bare() {
        return exchange();
    }

    @Benchmark
    public FullHttpResponse separate() {
        return exchange();
    }

    @Benchmark
    public FullHttpResponse fused() {
        return exchange();
    }

    @Benchmark
    public FullHttpResponse handWritten() {
        return exchange();
    }

    @Benchmark
    public FullHttpResponse separatePassThrough() {
        return exchange();
    }

    @Benchmark
    public FullHttpResponse fusedPassThrough() {
        return exchange();
    }

    /** The measured operation, the same for every variant: only the channel's pipeline differs. */
    private FullHttpResponse exchange() {
        channel.writeInbound(request.retain());
        FullHttpResponse response = channel.readOutbound();
        // A variant that wrote nothing fails here (null), not by returning early.
        response.release();
        return response;
    }
}
