package dev.dxreactor.benchmarks.rpc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load's bookkeeping on stand-in connections: what counts as an error, and that a run ends even when
 * answers never come.
 */
class LoadRunTest {

    private static final ClientSettings SHORT = new ClientSettings("127.0.0.1", 1, 2, 3, 16, 0.05, 0.2, "nio");

    private final ExecutorService answers = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        answers.shutdownNow();
    }

    /** Answers every request on another thread, as an event loop would, right or wrong as told. */
    private LoadRun.Connection answering(boolean right) {
        return (id, answer) -> answers.execute(() -> answer.answered(right));
    }

    @Test
    void rightAnswersAreCountedInTheWindowWithoutErrors() throws Exception {
        RpcResult result = new LoadRun(1000).run(List.of(answering(true), answering(true)), SHORT);

        assertThat(result.errors()).isZero();
        assertThat(result.requests()).isPositive();
    }

    @Test
    void aWrongAnswerIsAnErrorAndNotCounted() throws Exception {
        RpcResult result = new LoadRun(1000).run(List.of(answering(false)), SHORT);

        assertThat(result.errors()).isPositive();
        assertThat(result.requests()).isZero();
    }

    @Test
    void aFailedRequestIsAnErrorAndStopsItsSlot() throws Exception {
        LoadRun.Connection failing = (id, answer) -> answers.execute(() -> answer.failed(new IOException("reset")));

        RpcResult result = new LoadRun(1000).run(List.of(failing), SHORT);

        assertThat(result.errors()).isEqualTo(SHORT.inFlight());
    }

    @Test
    void requestsNeverAnsweredAreErrorsOnceTheDrainTimeIsOver() throws Exception {
        LoadRun.Connection silent = (id, answer) -> { };

        RpcResult result = new LoadRun(50).run(List.of(silent, silent), SHORT);

        assertThat(result.errors()).isEqualTo(2L * SHORT.inFlight());
        assertThat(result.requests()).isZero();
    }

    @Test
    void everySlotSendsDistinctIds() throws Exception {
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        AtomicLong repeats = new AtomicLong();
        LoadRun.Connection recording = (id, answer) -> answers.execute(() -> {
            if (!ids.add(id)) {
                repeats.incrementAndGet();
            }
            answer.answered(true);
        });

        new LoadRun(1000).run(List.of(recording, recording), SHORT);

        assertThat(repeats).hasValue(0);
        assertThat(ids).hasSizeGreaterThan(2 * SHORT.inFlight());
    }
}
