package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.cim.CimConfig;

/**
 * How many pass-through hooks ran on one channel: the proof that the pass-through variants' hooks were called
 * and not optimised away, read by {@link ChainCheck}. A befores' count (a {@code channelRead} passed on, or a
 * {@code before} that continued) and an afters' count (a {@code write} passed on, or an {@code after} that
 * returned the response). Plain fields: one channel's hooks run on its event loop only, and a field increment
 * is the least a hook can do that can still be seen from outside.
 */
final class HookTally {

    long befores;
    long afters;

    /** The tally the pass-through middlewares of {@code config}'s chain count into, made on first use. */
    static HookTally of(CimConfig config) {
        return config.shared(BenchPassThroughChain.class, HookTally.class, HookTally::new);
    }
}
