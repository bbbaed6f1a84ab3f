package dev.dxreactor.benchmarks.dbteleport;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH's benchmark threads as Netty makes its event-loop threads ({@code FastThreadLocalThread}), for
 * benchmarks that run a server's pipeline on the calling thread: Netty's thread-locals and object pools
 * then behave as they do on a server's loop, not as on a foreign thread. Chosen with
 * {@code -Djmh.executor=CUSTOM -Djmh.executor.class=<this class>}; JMH calls the constructor.
 */
public final class EventLoopThreads extends ThreadPoolExecutor {

    public EventLoopThreads(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}
