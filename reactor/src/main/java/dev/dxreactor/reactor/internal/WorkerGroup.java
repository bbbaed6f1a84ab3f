package dev.dxreactor.reactor.internal;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;

import java.util.concurrent.Executor;

/**
 * The event loops of a reactor: Netty's own, plus a registration count per loop that placement can read.
 *
 * <p>Netty counts the I/O registrations of a loop but keeps the number protected
 * ({@code registeredChannels()} answers -1), so each {@link Worker} publishes it.
 */
public final class WorkerGroup extends MultiThreadIoEventLoopGroup {

    public WorkerGroup(int workers, Executor executor, IoHandlerFactory ioHandlerFactory) {
        super(workers, executor, LeastLoadedChooserFactory.INSTANCE, ioHandlerFactory);
    }

    @Override
    protected IoEventLoop newChild(Executor executor, IoHandlerFactory ioHandlerFactory, Object... args) {
        return new Worker(this, executor, ioHandlerFactory);
    }

    /** One event loop that reports how many channels are registered with it. */
    public static final class Worker extends SingleThreadIoEventLoop {

        Worker(IoEventLoopGroup parent, Executor executor, IoHandlerFactory ioHandlerFactory) {
            super(parent, executor, ioHandlerFactory);
        }

        /** Channels (and other I/O handles) registered with this loop now; safe to read from any thread. */
        @Override
        public int registeredChannels() {
            return getNumOfRegisteredChannels();
        }
    }
}
