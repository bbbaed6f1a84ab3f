package dev.dxreactor.reactor.internal;

import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorChooserFactory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Places each new channel on the event loop with the fewest registered channels; among equally loaded
 * loops it goes round-robin.
 *
 * <p>A Netty channel stays on the loop it registered with, so balancing happens here, at placement,
 * rather than by moving work later. Counts are read without locking: a burst of accepts may see the same
 * counts, and then the round-robin tie break spreads it.
 */
public final class LeastLoadedChooserFactory implements EventExecutorChooserFactory {

    public static final LeastLoadedChooserFactory INSTANCE = new LeastLoadedChooserFactory();

    private LeastLoadedChooserFactory() {
    }

    @Override
    public EventExecutorChooser newChooser(EventExecutor[] executors) {
        return new Chooser(executors.clone());
    }

    private static final class Chooser implements EventExecutorChooser {
        private final EventExecutor[] executors;
        private final AtomicInteger rotation = new AtomicInteger();

        Chooser(EventExecutor[] executors) {
            this.executors = executors;
        }

        @Override
        public EventExecutor next() {
            int n = executors.length;
            int start = Math.floorMod(rotation.getAndIncrement(), n);
            EventExecutor best = executors[start];
            int bestLoad = load(best);
            for (int i = 1; i < n && bestLoad > 0; i++) {
                EventExecutor candidate = executors[(start + i) % n];
                int candidateLoad = load(candidate);
                if (candidateLoad < bestLoad) {
                    best = candidate;
                    bestLoad = candidateLoad;
                }
            }
            return best;
        }

        /** Registered channels on the loop; loops that cannot count (Netty's answer is -1) are all equal. */
        private static int load(EventExecutor executor) {
            if (executor instanceof SingleThreadEventLoop loop) {
                return Math.max(0, loop.registeredChannels());
            }
            return 0;
        }
    }
}
