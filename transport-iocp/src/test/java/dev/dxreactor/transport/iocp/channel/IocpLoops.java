package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.WindowsKernel;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** IOCP event loops for a test, with their handlers' counters readable from the test thread. */
final class IocpLoops implements AutoCloseable {

    final MultiThreadIoEventLoopGroup group;
    /** The emulated kernel, or {@code null} on Windows, where the tests run on the real one. */
    final EmulatedWindowsKernel kernel = WindowsKernel.current() instanceof EmulatedWindowsKernel e ? e : null;
    private final List<IocpIoHandler> handlers = new CopyOnWriteArrayList<>();
    private final List<EventLoop> loops = new CopyOnWriteArrayList<>();

    IocpLoops(int threads) {
        this(threads, IocpConfig.defaults());
    }

    IocpLoops(int threads, IocpConfig config) {
        IoHandlerFactory factory = IocpIoHandler.newFactory(config);
        group = new MultiThreadIoEventLoopGroup(threads, executor -> {
            IoHandler created = factory.newHandler(executor);
            handlers.add((IocpIoHandler) created);
            return created;
        });
        group.forEach(e -> loops.add((EventLoop) e));
    }

    /** The sum of every loop's counters, each read on its own loop. */
    IocpIoHandler.Stats stats() throws Exception {
        int registrations = 0;
        int inFlight = 0;
        int allocated = 0;
        int pooled = 0;
        long packets = 0;
        long dequeues = 0;
        long inline = 0;
        for (EventLoop loop : loops) {
            IocpIoHandler.Stats s = loop.submit(() -> handlerOf(loop).stats()).get(10, TimeUnit.SECONDS);
            registrations += s.registrations();
            inFlight += s.operationsInFlight();
            allocated += s.operationsAllocated();
            pooled += s.operationsPooled();
            packets += s.packets();
            dequeues += s.dequeues();
            inline += s.inlineCompletions();
        }
        return new IocpIoHandler.Stats(registrations, inFlight, allocated, pooled, packets, dequeues, inline);
    }

    private IocpIoHandler handlerOf(EventLoop loop) {
        for (IocpIoHandler handler : handlers) {
            try {
                handler.checkInLoop("stats");
                return handler;
            } catch (IllegalStateException notThisOne) {
                // another loop's handler
            }
        }
        throw new IllegalStateException("no handler runs on " + loop);
    }

    /** Memory the emulated kernel found released before its packet (none is known on the real kernel). */
    List<String> memoryViolations() {
        return kernel == null ? List.of() : kernel.memoryViolations();
    }

    /** Polls {@code condition} until it holds, at most {@code seconds}. */
    static void until(Callable<Boolean> condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + seconds + " s");
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
