package dev.dxreactor.benchmarks.windows;

import dev.dxreactor.benchmarks.ForkEnvironment;
import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.WindowsKernel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Loopback echo on the two Windows transports, IOCP and AFD_POLL, against Netty's NIO transport, in the same JVM
 * set-up: one server event loop, one client event loop, {@value EchoMessage#SIZE}-byte messages checked byte for
 * byte.
 *
 * <p>On Linux the Windows transports run over the <b>emulated</b> Windows kernel surface
 * ({@code -Ddx.windows.emulate=true}): their figures are the transports' Java code plus that emulation (libc calls
 * through FFM, an epoll set per completion port), not Windows.
 *
 * <ul>
 *   <li>{@link #pingPong}: one connection, one message in flight: ns per round trip.</li>
 *   <li>{@link #throughput}: {@value #CONNECTIONS} connections with {@value #WINDOW} messages in flight
 *       each: ns per echoed message, the inverse of the messages per second.</li>
 * </ul>
 *
 * <p>The load runs on the event loops from set-up to tear-down; a benchmark call waits, parked, for the next
 * {@code n} echoes, so the measuring thread takes no CPU from the loops.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {WindowsEchoBenchmark.NATIVE_ACCESS, WindowsEchoBenchmark.EMULATE,
        WindowsEchoBenchmark.NO_LEAK_DETECTION})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class WindowsEchoBenchmark {

    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    static final String EMULATE = "-Ddx.windows.emulate=true";
    static final String NO_LEAK_DETECTION = "-Dio.netty.leakDetection.level=disabled";

    static final int ROUND_TRIPS = 200;
    static final int CONNECTIONS = 64;
    static final int WINDOW = 16;
    static final int WINDOW_ECHOES = CONNECTIONS * WINDOW * 4;

    /** An echo load for the trial, on the transport the {@code transport} parameter names. */
    @State(Scope.Benchmark)
    public abstract static class Load {

        @Param({"iocp", "afdpoll", "nio"})
        public String transport;

        EchoLoad load;

        abstract int connections();

        abstract int window();

        @Setup(Level.Trial)
        public void start() throws InterruptedException {
            ForkEnvironment.recordIfRequested();
            load = EchoLoad.start(EchoTransport.of(transport), connections(), window());
        }

        /** Fails the fork if an echo was wrong, a channel failed, or the emulated kernel caught a memory misuse. */
        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            load.close();
            if (EchoTransport.of(transport).emulated()
                    && WindowsKernel.current() instanceof EmulatedWindowsKernel emulated) {
                List<String> violations = emulated.memoryViolations();
                if (!violations.isEmpty()) {
                    throw new IllegalStateException("the emulated kernel reported memory released under a "
                            + "pending operation: " + violations);
                }
            }
        }
    }

    /** One connection, one message in flight. */
    public static class PingPong extends Load {

        @Override
        int connections() {
            return 1;
        }

        @Override
        int window() {
            return 1;
        }
    }

    /** {@value #CONNECTIONS} connections, {@value #WINDOW} messages in flight on each. */
    public static class Windowed extends Load {

        @Override
        int connections() {
            return CONNECTIONS;
        }

        @Override
        int window() {
            return WINDOW;
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void pingPong(PingPong state) throws InterruptedException {
        state.load.awaitEchoes(ROUND_TRIPS);
    }

    @Benchmark
    @OperationsPerInvocation(WINDOW_ECHOES)
    public void throughput(Windowed state) throws InterruptedException {
        state.load.awaitEchoes(WINDOW_ECHOES);
    }
}
