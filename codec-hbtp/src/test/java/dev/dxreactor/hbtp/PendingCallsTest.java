package dev.dxreactor.hbtp;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's table of calls in flight: a sequence is never given to two calls, and each answer finds its call. */
class PendingCallsTest {

    private static HbtpCallFuture call() {
        return new HbtpCallFuture(null, 1);
    }

    /**
     * Any run of calls made and answered (answers in any order, some for sequences never given) leaves the table
     * agreeing with a plain map: same calls, same count, no sequence in flight twice.
     */
    @Property(tries = 200)
    void theTableAgreesWithAMapWhateverTheOrderOfCallsAndAnswers(
            @ForAll @Size(max = 3000) List<@IntRange(min = -1, max = 70_000) Integer> steps) {
        PendingCalls pending = new PendingCalls();
        Map<Integer, HbtpCallFuture> model = new HashMap<>();
        for (int step : steps) {
            if (step < 0 || model.size() >= 4000) {
                HbtpCallFuture call = call();
                int sequence = pending.add(call);
                assertThat(model).doesNotContainKey(sequence);
                assertThat(call.sequence).isEqualTo(sequence);
                assertThat(sequence).isBetween(0, HbtpHeader.MAX_SEQUENCE);
                model.put(sequence, call);
            } else {
                int sequence = step & HbtpHeader.MAX_SEQUENCE;
                assertThat(pending.get(sequence)).isSameAs(model.get(sequence));
                assertThat(pending.remove(sequence)).isSameAs(model.remove(sequence));
            }
            assertThat(pending.size()).isEqualTo(model.size());
        }
        assertThat(pending.snapshot()).containsExactlyInAnyOrderElementsOf(model.values());
    }

    @Test
    void everySequenceCanBeInFlightAtOnceAndEachIsFoundAgain() {
        PendingCalls pending = new PendingCalls();
        HbtpCallFuture[] calls = new HbtpCallFuture[HbtpHeader.MAX_SEQUENCE + 1];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = call();
            pending.add(calls[i]);
        }
        for (HbtpCallFuture call : calls) {
            assertThat(pending.get(call.sequence)).isSameAs(call);
        }
        assertThat(pending.remove(calls[777].sequence)).isSameAs(calls[777]);
        HbtpCallFuture again = call();
        assertThat(pending.add(again)).isEqualTo(calls[777].sequence);
    }

    @Test
    void anAnswerForAnotherSequenceWithTheSameLowBitsFindsNothing() {
        PendingCalls pending = new PendingCalls();
        HbtpCallFuture call = call();
        int sequence = pending.add(call);

        assertThat(pending.remove(sequence + 64)).isNull();
        assertThat(pending.remove(sequence + 4096)).isNull();
        assertThat(pending.get(sequence)).isSameAs(call);
    }
}
