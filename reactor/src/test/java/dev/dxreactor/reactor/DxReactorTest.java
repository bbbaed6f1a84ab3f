package dev.dxreactor.reactor;

import dev.dxreactor.reactor.internal.CpuAffinity;
import dev.dxreactor.transport.TransportProvider;
import dev.dxreactor.transport.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.util.concurrent.EventExecutor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DxReactorTest {

    @Property(tries = 100)
    void fixedSpawnsExactlyThatManyWorkerThreads(@ForAll @IntRange(min = 1, max = 8) int workers) throws Exception {
        try (DxReactor reactor = DxReactor.builder().transport("nio").workers(WorkerStrategy.fixed(workers)).build()) {
            assertThat(reactor.workerCount()).isEqualTo(workers);
            List<Thread> threads = workerThreads(reactor);
            assertThat(threads).hasSize(workers).doesNotHaveDuplicates().allMatch(Thread::isAlive);

            // No other live thread carries this reactor's thread-name prefix.
            String prefix = threads.getFirst().getName().replaceAll("-\\d+$", "-");
            long named = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith(prefix)).count();
            assertThat(named).isEqualTo(workers);
        }
    }

    @Property(tries = 100)
    void threadPerCoreIsTheNumberOfAvailableProcessors(@ForAll @IntRange(min = 0, max = 3) int ignored) {
        assertThat(WorkerStrategy.threadPerCore().workerCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void theDefaultIsOneWorkerPerCore() {
        try (DxReactor reactor = DxReactor.builder().build()) {
            assertThat(reactor.workerCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void fixedRejectsCountsOutOfRange() {
        assertThatThrownBy(() -> WorkerStrategy.fixed(0)).hasMessageContaining("workers must be 1 to 4096, got 0");
        assertThatThrownBy(() -> WorkerStrategy.fixed(5000)).hasMessageContaining("got 5000");
    }

    @Test
    void theBuilderTakesTheBestTransportByDefault() {
        try (DxReactor reactor = DxReactor.builder().workers(WorkerStrategy.fixed(1)).build()) {
            assertThat(reactor.transport()).isSameAs(Transports.best());
        }
    }

    @Test
    void anUnknownTransportFailsWithTheAvailableOnes() {
        assertThatThrownBy(() -> DxReactor.builder().transport("carrier-pigeon").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown transport 'carrier-pigeon'; available: ")
                .hasMessageContaining("nio");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void pinnedWorkersReadBackTheirOwnSingleCpu() throws Exception {
        int[] allowed = CpuAffinity.currentThreadCpus();
        int workers = Math.max(2, allowed.length);
        try (DxReactor reactor = DxReactor.builder().transport("nio").workers(WorkerStrategy.fixed(workers))
                .pinToCores(true).build()) {
            int[] expected = reactor.workerCpus();
            assertThat(expected).hasSize(workers);
            int i = 0;
            for (EventExecutor worker : reactor.group()) {
                int[] actual = worker.submit(CpuAffinity::currentThreadCpus).get(10, TimeUnit.SECONDS);
                assertThat(actual).as("affinity of worker %d", i).containsExactly(expected[i]);
                assertThat(expected[i]).isEqualTo(allowed[i % allowed.length]);
                i++;
            }
        }
        // The test thread itself was never pinned.
        assertThat(CpuAffinity.currentThreadCpus()).containsExactly(allowed);
    }

    @Test
    void shutdownCompletesWhenEveryWorkerHasStopped() throws Exception {
        DxReactor reactor = DxReactor.builder().transport("nio").workers(WorkerStrategy.fixed(3)).build();
        List<Thread> threads = workerThreads(reactor);
        CompletableFuture<Void> done = reactor.shutdownGracefully(Duration.ofMillis(10), Duration.ofSeconds(5));

        done.get(10, TimeUnit.SECONDS);
        assertThat(reactor.group().isTerminated()).isTrue();
        assertThat(reactor.offload().isShutdown()).isTrue();
        for (Thread t : threads) {
            t.join(5000);
            assertThat(t.isAlive()).as(t.getName()).isFalse();
        }
    }

    @Test
    void offloadRunsOnVirtualThreadsOffTheWorkers() throws Exception {
        try (DxReactor reactor = DxReactor.builder().transport("nio").workers(WorkerStrategy.fixed(1)).build()) {
            Thread offloaded = reactor.offload().submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
            assertThat(offloaded.isVirtual()).isTrue();
            assertThat(workerThreads(reactor)).doesNotContain(offloaded);
        }
    }

    static List<String> availableTransports() {
        return Transports.available().stream().map(TransportProvider::name).toList();
    }

    @ParameterizedTest
    @MethodSource("availableTransports")
    void echoesOverLoopbackOnEveryAvailableTransport(String transport) throws Exception {
        try (DxReactor reactor = DxReactor.builder().transport(transport).workers(WorkerStrategy.fixed(2)).build()) {
            assertThat(echo(reactor, reactor.serverBootstrap(), "hello over " + transport))
                    .isEqualTo("hello over " + transport);
        }
    }

    @Test
    void anExistingServerBootstrapCanBePutOnTheReactor() throws Exception {
        try (DxReactor reactor = DxReactor.builder().workers(WorkerStrategy.fixed(1)).build()) {
            ServerBootstrap mine = new ServerBootstrap();
            assertThat(echo(reactor, reactor.configure(mine), "mine")).isEqualTo("mine");
            assertThat(mine.config().group()).isSameAs(reactor.group());
        }
    }

    @Test
    void ioUringBufferRingConfigIsAppliedToConnections() throws Exception {
        assumeTrue(availableTransports().contains("io_uring"), "io_uring is not available here");
        ReactorConfig config = ReactorConfig.builder().ringEntries(256).bufferSize(1024).bufferCount(16)
                .zeroCopySend(true).build();
        try (DxReactor reactor = DxReactor.builder().transport("io_uring").workers(WorkerStrategy.fixed(1))
                .config(config).build()) {
            ServerBootstrap server = reactor.serverBootstrap();
            assertThat(server.config().childOptions())
                    .containsKeys(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID,
                            IoUringChannelOption.IO_URING_WRITE_ZERO_COPY_THRESHOLD);
            String large = "x".repeat(64 * 1024);
            assertThat(echo(reactor, server, large)).isEqualTo(large);
        }
    }

    @Test
    void optionsATransportIgnoresAreNamed() {
        ReactorConfig config = ReactorConfig.builder().ringEntries(64).maxEventsPerWake(128).sqpoll(true).build();
        TransportProvider nio = Transports.byName("nio");
        assertThat(DxReactor.ignoredOptions(nio, config)).containsExactly(
                ReactorConfig.RING_ENTRIES, ReactorConfig.SQPOLL, ReactorConfig.MAX_EVENTS_PER_WAKE);
        assertThat(DxReactor.ignoredOptions(nio, ReactorConfig.defaults())).isEmpty();
    }

    private static List<Thread> workerThreads(DxReactor reactor) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (EventExecutor worker : reactor.group()) {
            threads.add(worker.submit(Thread::currentThread).get(10, TimeUnit.SECONDS));
        }
        return threads;
    }

    /** Starts an echo server through {@code server}, sends {@code text} from a client of the reactor. */
    private static String echo(DxReactor reactor, ServerBootstrap server, String text) throws Exception {
        Channel listener = server.childHandler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ctx.writeAndFlush(msg);
                    }
                });
            }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            int expected = text.getBytes(StandardCharsets.UTF_8).length;
            CompletableFuture<String> received = new CompletableFuture<>();
            ByteBuf collected = Unpooled.buffer(expected);
            Channel client = reactor.bootstrap().handler(new SimpleChannelInboundHandler<ByteBuf>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                    collected.writeBytes(msg);
                    if (collected.readableBytes() >= expected) {
                        received.complete(collected.toString(StandardCharsets.UTF_8));
                    }
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    received.completeExceptionally(cause);
                }
            }).connect(listener.localAddress()).sync().channel();
            try {
                client.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
                return received.get(10, TimeUnit.SECONDS);
            } finally {
                client.close().sync();
                collected.release();
            }
        } finally {
            listener.close().sync();
        }
    }
}
