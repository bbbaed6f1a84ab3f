package dev.dxreactor.cim.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Looking at an application's {@link CompletionStage} without waiting on it. A stage from
 * {@link CompletableFuture#minimalCompletionStage()} is a {@code CompletableFuture} that refuses
 * {@code isDone()} and {@code join()}; its {@code toCompletableFuture()} answers both, so the exchanges go
 * through that (which is the stage itself for a full {@code CompletableFuture}: nothing made).
 */
public final class Stages {

    private Stages() {
    }

    /** Whether {@code stage} has completed; {@code false} for a stage that cannot say without waiting. */
    public static boolean isDone(CompletionStage<?> stage) {
        try {
            return stage.toCompletableFuture().isDone();
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /** The result of a stage {@link #isDone} said has completed; what it failed with is thrown. */
    public static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }
}
