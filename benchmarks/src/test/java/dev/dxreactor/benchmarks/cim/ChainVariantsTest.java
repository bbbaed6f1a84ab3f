package dev.dxreactor.benchmarks.cim;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChainVariantsTest {

    @ParameterizedTest
    @EnumSource(ChainVariant.class)
    void everyVariantAnswersTheScriptAsTheFusedChainRequires(ChainVariant variant) {
        assertThatCode(() -> ChainCheck.verify(variant)).doesNotThrowAnyException();
    }

    @Test
    void theFusedChainAddsEveryMiddlewaresHeadersToTheMeasuredAnswer() {
        ChainCheck.Answer measured = ChainCheck.transcript(ChainVariant.FUSED).get(0);

        assertThat(measured.status()).isEqualTo(200);
        // Three clock readings a step apart: arrival, rate limit, timing.
        assertThat(measured.headers()).containsExactly(
                "access-control-allow-origin: " + ChainRules.ALLOWED_ORIGIN,
                "content-length: " + measured.body().length(),
                "content-type: application/json",
                "vary: Origin",
                "x-response-time: 2us");
    }

    @Test
    void theRefusalsCarryWhatTheMiddlewaresPromise() {
        List<ChainCheck.Answer> fused = ChainCheck.transcript(ChainVariant.FUSED);

        assertThat(fused.get(2).body()).isEqualTo(ChainRules.API_KEY_REFUSED);
        assertThat(fused.get(3).body()).isEqualTo(ChainRules.ORIGIN_REFUSED);
        assertThat(fused.get(4).headers()).contains(
                "access-control-allow-methods: " + ChainRules.ALLOW_METHODS_VALUE,
                "access-control-max-age: 600");
        assertThat(fused.get(6).headers()).contains("retry-after: 1");
    }

    @Test
    void aVariantAnsweringOneRequestDifferentlyIsRefusedByName() {
        List<ChainCheck.Answer> fused = ChainCheck.transcript(ChainVariant.FUSED);
        List<ChainCheck.Answer> withoutVary = new ArrayList<>(fused);
        withoutVary.set(4, fused.get(4).without("Vary"));

        assertThatThrownBy(() -> ChainCheck.requireSame(ChainVariant.SEPARATE, fused, withoutVary))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("separate answers \"preflight\"");
    }

    @Test
    void theBareVariantIsHeldToTheApplicationsOwnAnswer() {
        List<ChainCheck.Answer> fused = ChainCheck.transcript(ChainVariant.FUSED);

        assertThatThrownBy(() -> ChainCheck.requireSame(ChainVariant.BARE,
                ChainCheck.expected(ChainVariant.BARE, fused), fused))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bare answers \"allowed origin\"");
    }

    @Test
    void thePassThroughVariantsAnswerTheScriptAsTheApplicationAlone() {
        List<ChainCheck.Answer> bare = ChainCheck.transcript(ChainVariant.BARE);

        assertThat(ChainCheck.transcript(ChainVariant.SEPARATE_PASS_THROUGH)).isEqualTo(bare);
        assertThat(ChainCheck.transcript(ChainVariant.FUSED_PASS_THROUGH)).isEqualTo(bare);
        assertThat(bare.get(0).headers()).noneMatch(h -> h.startsWith("x-response-time"));
    }

    @ParameterizedTest
    @EnumSource(value = ChainVariant.class, names = {"SEPARATE_PASS_THROUGH", "FUSED_PASS_THROUGH"})
    void aPassThroughVariantRunsEveryHookOncePerRequest(ChainVariant variant) {
        HookTally tally = new HookTally();
        EmbeddedChannel channel = variant.open(ChainRules.NEVER_REFUSING, tally);

        for (int i = 0; i < 7; i++) {
            ChainCheck.exchange(channel, BenchRequests.api());
        }

        assertThat(tally.befores).isEqualTo(28);
        assertThat(tally.afters).isEqualTo(14);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aPassThroughVariantWhoseHooksDidNotAllRunIsRefusedByName() {
        HookTally tally = new HookTally();
        tally.befores = 4;
        tally.afters = 1;

        assertThatThrownBy(() -> ChainCheck.requireHooksRan(ChainVariant.FUSED_PASS_THROUGH, tally, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fusedPassThrough ran 4 befores and 1 afters")
                .hasMessageContaining("must run 4 and 2");
        assertThatThrownBy(() -> ChainCheck.requireHooksRan(ChainVariant.FUSED_PASS_THROUGH, tally, 0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aWorkingVariantCountsNoPassThroughHooks() {
        HookTally tally = new HookTally();
        EmbeddedChannel channel = ChainVariant.FUSED.open(ChainRules.NEVER_REFUSING, tally);
        ChainCheck.exchange(channel, BenchRequests.api());

        assertThatCode(() -> ChainCheck.requireHooksRan(ChainVariant.FUSED, tally, 1)).doesNotThrowAnyException();
        tally.afters = 1;
        assertThatThrownBy(() -> ChainCheck.requireHooksRan(ChainVariant.FUSED, tally, 1))
                .isInstanceOf(IllegalStateException.class);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(ChainVariant.class)
    void theMeasuredOperationReleasesTheResponseAndHandsTheRequestBack(ChainVariant variant) {
        EmbeddedChannel channel = variant.open(ChainRules.NEVER_REFUSING);
        FullHttpRequest request = BenchRequests.api();
        ChainCheck.Answer first = ChainCheck.exchange(channel, request.retain());

        for (int i = 0; i < 1_000; i++) {
            assertThat(ChainCheck.exchange(channel, request.retain()).status()).isEqualTo(first.status());
        }

        assertThat(request.refCnt()).isEqualTo(1);
        assertThat(channel.finishAndReleaseAll()).isFalse();
        request.release();
    }
}
