package dev.dxreactor.benchmarks.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Rounds of variants measured back to back: A, B, C in one round, C, B, A in the next. On a shared machine the
 * load from other processes drifts over minutes; taking every variant once per round puts a busy spell on all
 * of them, and reversing the order every other round keeps a slow drift from favouring whichever runs first.
 */
public final class Interleaved {

    /** Measures one variant in one round. */
    @FunctionalInterface
    public interface Step<T> {
        void measure(int round, T variant) throws Exception;
    }

    /** Runs after each round, e.g. to print its figures. */
    @FunctionalInterface
    public interface AfterRound {
        void done(int round) throws Exception;
    }

    private Interleaved() {
    }

    /** {@code order} for turn {@code turn}: as given on even turns, reversed on odd ones. */
    public static <T> List<T> order(List<T> order, int turn) {
        List<T> out = new ArrayList<>(order);
        if (turn % 2 == 1) {
            Collections.reverse(out);
        }
        return out;
    }

    /** {@code rounds} rounds, each measuring every variant once in {@link #order}. */
    public static <T> void run(int rounds, List<T> order, Step<T> step) throws Exception {
        run(rounds, order, step, round -> {
        });
    }

    /** {@code rounds} rounds, each measuring every variant once in {@link #order}, then {@code afterRound}. */
    public static <T> void run(int rounds, List<T> order, Step<T> step, AfterRound afterRound) throws Exception {
        for (int round = 0; round < rounds; round++) {
            for (T variant : order(order, round)) {
                step.measure(round, variant);
            }
            afterRound.done(round);
        }
    }
}
