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

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operation of {@link CimChainBenchmark}, with the six variants in one JVM taking turns: iteration
 * {@code i} (warm-up iterations counted) measures {@link #variantOf variantOf(i)}, so the six are measured
 * within a few tens of ms of each other, again and again, and a burst of load from another process slows
 * all of them rather than one. What {@link CimChainReport} runs.
 *
 * <p>The JIT then compiles every variant's code in one JVM, as a server compiles its pipelines: a call from
 * the pipeline to a handler sees every handler class of the six variants, as it sees a server's many
 * handler classes, where a JVM running one variant alone would see one or two and could inline them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = CimChainInterleavedBenchmark.WARMUP_ITERATIONS, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = CimChainInterleavedBenchmark.MEASUREMENT_ITERATIONS, time = 25,
        timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {CimChainBenchmark.NATIVE_ACCESS, CimChainBenchmark.NO_LEAK_DETECTION})
public class CimChainInterleavedBenchmark {

    /**
     * The variants' turns, one per iteration; every other cycle reversed (see {@link #variantOf}). Each bar's
     * variants sit next to each other: fused between separate and hand-written, fused pass-through between
     * separate pass-through and bare.
     */
    static final List<ChainVariant> ORDER = List.of(ChainVariant.SEPARATE_PASS_THROUGH,
            ChainVariant.FUSED_PASS_THROUGH, ChainVariant.BARE, ChainVariant.SEPARATE, ChainVariant.FUSED,
            ChainVariant.HAND_WRITTEN);

    /** Six whole cycles of the variants' turns, forward and back: measuring then starts forward. */
    static final int WARMUP_ITERATIONS = 36;
    /** Twenty whole cycles, forward and back: 40 measured iterations for each variant. */
    static final int MEASUREMENT_ITERATIONS = 240;

    private final Map<ChainVariant, EmbeddedChannel> channels = new EnumMap<>(ChainVariant.class);
    private final Map<ChainVariant, HookTally> tallies = new EnumMap<>(ChainVariant.class);
    private FullHttpRequest request;
    private int iteration;
    private EmbeddedChannel channel;

    /**
     * The variant iteration {@code i} measures: the variants in {@link #ORDER}, then in reverse, and so on, so
     * that each is as often before as after each other and a slow drift of the machine favours none.
     */
    static ChainVariant variantOf(int i) {
        int turn = i % ORDER.size();
        return ORDER.get((i / ORDER.size()) % 2 == 0 ? turn : ORDER.size() - 1 - turn);
    }

    @Setup(Level.Trial)
    public void setUp() {
        ForkEnvironment.recordIfRequested();
        request = BenchRequests.api();
        List<ChainCheck.Answer> fused = ChainCheck.transcript(ChainVariant.FUSED);
        for (ChainVariant variant : ORDER) {
            ChainCheck.verify(variant);
            HookTally tally = new HookTally();
            EmbeddedChannel open = variant.open(ChainRules.NEVER_REFUSING, tally);
            ChainCheck.Answer expected = ChainCheck.expected(variant, fused).get(0);
            ChainCheck.Answer first = ChainCheck.exchange(open, request.retain());
            if (!first.equals(expected) || request.refCnt() != 1) {
                throw new IllegalStateException(variant.method() + " answers the measured request with " + first
                        + " (request reference count " + request.refCnt() + ", must be 1) where it must answer "
                        + expected);
            }
            ChainCheck.requireHooksRan(variant, tally, 1);
            channels.put(variant, open);
            tallies.put(variant, tally);
        }
    }

    @Setup(Level.Iteration)
    public void nextTurn() {
        channel = channels.get(variantOf(iteration++));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        boolean leftOver = false;
        for (EmbeddedChannel open : channels.values()) {
            leftOver |= open.finishAndReleaseAll();
        }
        int refCnt = request.refCnt();
        request.release();
        if (leftOver || refCnt != 1) {
            throw new IllegalStateException("after the run: messages left in a channel " + leftOver
                    + ", request reference count " + refCnt + " (must be 1)");
        }
        // The pass-through hooks kept running while measured: a whole number of requests' worth of each kind,
        // and more than the one checked before.
        for (ChainVariant variant : ORDER) {
            HookTally tally = tallies.get(variant);
            long requests = variant.passThrough() ? tally.befores / ChainCheck.PASS_THROUGH_BEFORES : 0;
            ChainCheck.requireHooksRan(variant, tally, requests);
            if (variant.passThrough() && requests < 2) {
                throw new IllegalStateException("after the run: " + variant.method() + "'s hooks ran for "
                        + requests + " request(s) only");
            }
        }
    }

    /** The measured operation, the same for every variant: only the channel's pipeline differs. */
    @Benchmark
    public FullHttpResponse request() {
        channel.writeInbound(request.retain());
        FullHttpResponse response = channel.readOutbound();
        // A variant that wrote nothing fails here (null), not by returning early.
        response.release();
        return response;
    }
}
