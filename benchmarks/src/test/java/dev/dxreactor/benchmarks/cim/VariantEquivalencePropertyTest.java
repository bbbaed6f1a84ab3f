package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.cim.middleware.RateLimitConfig;
import dev.dxreactor.cim.middleware.RateLimitKey;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class VariantEquivalencePropertyTest {

    private static final List<Supplier<FullHttpRequest>> KINDS = List.of(BenchRequests::api,
            BenchRequests::withoutOrigin, BenchRequests::wrongKey, BenchRequests::foreignOrigin,
            BenchRequests::preflight);

    /**
     * Any sequence of requests, under a limit the sequence sometimes exceeds (each request advances the
     * stepping clock by two or three microseconds), gets the same answers, timing and {@code Retry-After}
     * included, from the separate and hand-written variants as from the fused chain.
     */
    @Property(tries = 200)
    void theSeparateAndHandWrittenVariantsAnswerAnySequenceAsTheFusedChain(
            @ForAll("sequences") List<Integer> kinds,
            @ForAll @IntRange(min = 50_000, max = 500_000) int permitsPerSecond,
            @ForAll @IntRange(min = 1, max = 4) int burst) {
        RateLimitConfig limit = new RateLimitConfig(permitsPerSecond, burst, RateLimitKey.REMOTE_ADDRESS, 100);
        List<ChainCheck.Answer> fused = answers(ChainVariant.FUSED, limit, kinds);

        assertThat(answers(ChainVariant.SEPARATE, limit, kinds)).isEqualTo(fused);
        assertThat(answers(ChainVariant.HAND_WRITTEN, limit, kinds)).isEqualTo(fused);
    }

    /**
     * Any sequence of requests gets from the pass-through variants the answers the application alone gives,
     * and runs every pass-through hook once per request.
     */
    @Property(tries = 100)
    void thePassThroughVariantsAnswerAnySequenceAsTheApplicationAloneAndRunEveryHook(
            @ForAll("sequences") List<Integer> kinds) {
        List<ChainCheck.Answer> bare = answers(ChainVariant.BARE, ChainRules.NEVER_REFUSING, kinds);

        for (ChainVariant passThrough : List.of(ChainVariant.SEPARATE_PASS_THROUGH, ChainVariant.FUSED_PASS_THROUGH)) {
            HookTally tally = new HookTally();
            assertThat(answers(passThrough, tally, kinds)).isEqualTo(bare);
            assertThat(tally.befores).isEqualTo(4L * kinds.size());
            assertThat(tally.afters).isEqualTo(2L * kinds.size());
        }
    }

    @Provide
    Arbitrary<List<Integer>> sequences() {
        return Arbitraries.integers().between(0, KINDS.size() - 1).list().ofMinSize(1).ofMaxSize(40);
    }

    private static List<ChainCheck.Answer> answers(ChainVariant variant, RateLimitConfig limit,
                                                   List<Integer> kinds) {
        return answers(variant.open(limit), kinds);
    }

    private static List<ChainCheck.Answer> answers(ChainVariant variant, HookTally tally, List<Integer> kinds) {
        return answers(variant.open(ChainRules.NEVER_REFUSING, tally), kinds);
    }

    private static List<ChainCheck.Answer> answers(EmbeddedChannel channel, List<Integer> kinds) {
        List<ChainCheck.Answer> answers = new ArrayList<>();
        for (int kind : kinds) {
            answers.add(ChainCheck.exchange(channel, KINDS.get(kind).get()));
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return answers;
    }
}
