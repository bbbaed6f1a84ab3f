package dev.dxreactor.reactor;

import dev.dxreactor.reactor.internal.CpuAffinity;
import dev.dxreactor.reactor.internal.WorkerGroup;
import dev.dxreactor.transport.TransportProvider;
import dev.dxreactor.transport.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Event loops on the best transport of the machine, one per core by default, ready for a
 * {@link ServerBootstrap} or {@link Bootstrap}.
 *
 * <pre>{@code
 * DxReactor reactor = DxReactor.builder().build();          // logs the transport it chose and why
 * reactor.serverBootstrap()
 *        .childHandler(new MyInitializer())
 *        .bind(8080).sync();
 * ...
 * reactor.shutdownGracefully(Duration.ofMillis(100), Duration.ofSeconds(5)).join();
 * }</pre>
 *
 * <p>New channels go to the worker with the fewest registered channels (ties round-robin). Blocking work
 * belongs on {@link #offload()}, never on a worker.
 */
public final class DxReactor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DxReactor.class);
    private static final long START_TIMEOUT_SECONDS = 30;

    private final TransportProvider transport;
    private final ReactorConfig config;
    private final WorkerGroup group;
    private final Map<ChannelOption<?>, Object> channelOptions;
    private final ExecutorService offload;
    private final int workerCount;
    private final int[] workerCpus;

    private DxReactor(TransportProvider transport, ReactorConfig config, WorkerGroup group,
                      int workerCount, int[] workerCpus) {
        this.transport = transport;
        this.config = config;
        this.group = group;
        this.channelOptions = Map.copyOf(transport.channelOptions(config));
        this.offload = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dx-offload-", 0).factory());
        this.workerCount = workerCount;
        this.workerCpus = workerCpus;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A server bootstrap on this reactor's workers and transport; add a child handler and bind. */
    public ServerBootstrap serverBootstrap() {
        return configure(new ServerBootstrap());
    }

    /**
     * Puts an existing server bootstrap on this reactor: its group, its server channel class, and the child
     * options the transport needs for the config. Handlers and other options are left as they are.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public ServerBootstrap configure(ServerBootstrap bootstrap) {
        bootstrap.group(group).channel(transport.serverSocketChannelClass());
        channelOptions.forEach((option, value) -> bootstrap.childOption((ChannelOption) option, value));
        return bootstrap;
    }

    /** A client bootstrap on this reactor's workers and transport. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Bootstrap bootstrap() {
        Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.socketChannelClass());
        channelOptions.forEach((option, value) -> bootstrap.option((ChannelOption) option, value));
        return bootstrap;
    }

    /** The worker event loops, for code that wires its own bootstrap or schedules tasks. */
    public EventLoopGroup group() {
        return group;
    }

    public TransportProvider transport() {
        return transport;
    }

    public ReactorConfig config() {
        return config;
    }

    public int workerCount() {
        return workerCount;
    }

    /** The CPU of each worker in order when pinned, else an empty array. */
    public int[] workerCpus() {
        return workerCpus.clone();
    }

    /**
     * An executor on virtual threads for blocking work (JDBC, files, blocking user code) that must not run
     * on a worker. Shut down with the reactor.
     */
    public ExecutorService offload() {
        return offload;
    }

    /**
     * Stops accepting tasks, lets the workers finish after a quiet period, then stops them.
     *
     * @return completes when every worker has stopped and the offload executor no longer takes work
     */
    public CompletableFuture<Void> shutdownGracefully(Duration quietPeriod, Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        group.shutdownGracefully(quietPeriod.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS);
        group.terminationFuture().addListener(f -> {
            offload.shutdown();
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    /** Shuts down without a quiet period and waits up to ten seconds. */
    @Override
    public void close() {
        shutdownGracefully(Duration.ZERO, Duration.ofSeconds(10)).join();
    }

    @Override
    public String toString() {
        return "DxReactor[" + transport.name() + ", " + workerCount + " workers"
                + (workerCpus.length > 0 ? ", pinned" : "") + "]";
    }

    /** The fields set in {@code config} that {@code transport} does not honour, in declaration order. */
    static Set<String> ignoredOptions(TransportProvider transport, ReactorConfig config) {
        Set<String> ignored = new LinkedHashSet<>(config.explicitOptions());
        ignored.removeAll(transport.supportedOptions());
        return ignored;
    }

    /** Collects the settings; {@link #build()} starts the workers. */
    public static final class Builder {
        private WorkerStrategy workers = WorkerStrategy.threadPerCore();
        private String transportName;
        private boolean pinToCores;
        private ReactorConfig config = ReactorConfig.defaults();

        private Builder() {
        }

        /** How many workers; default {@link WorkerStrategy#threadPerCore()}. */
        public Builder workers(WorkerStrategy strategy) {
            this.workers = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * Uses the transport with this name instead of the best one. The system property
         * {@value Transports#TRANSPORT_PROPERTY}, when set, still wins: it is the operator's override.
         */
        public Builder transport(String name) {
            this.transportName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Binds each worker thread to its own CPU (Linux). Workers take the CPUs the process may use in
         * order, wrapping around when there are more workers than CPUs. Elsewhere this logs that pinning
         * is unavailable and runs unpinned.
         */
        public Builder pinToCores(boolean pin) {
            this.pinToCores = pin;
            return this;
        }

        /** Backend tuning; see {@link ReactorConfig}. */
        public Builder config(ReactorConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Chooses the transport, starts every worker (pinned if asked) and logs one line saying what was
         * chosen and why.
         *
         * @throws IllegalArgumentException if the requested transport is unknown or unavailable
         * @throws IllegalStateException    if a worker cannot start or cannot be pinned
         */
        public DxReactor build() {
            String forced = System.getProperty(Transports.TRANSPORT_PROPERTY);
            boolean propertySet = forced != null && !forced.isBlank();
            TransportProvider transport = propertySet || transportName == null
                    ? Transports.best() : Transports.byName(transportName);
            String why = propertySet || transportName == null ? Transports.explain(transport)
                    : "requested; available: " + Transports.available().stream()
                            .map(TransportProvider::name).collect(Collectors.joining(", "));

            warnIgnoredOptions(transport);

            int count = workers.workerCount();
            int[] cpus = pinToCores ? cpusFor(count) : new int[0];
            WorkerGroup group = new WorkerGroup(count,
                    new ThreadPerTaskExecutor(new DefaultThreadFactory("dx-" + transport.name(), false)),
                    transport.ioHandlerFactory(config));
            try {
                startWorkers(group, cpus);
            } catch (RuntimeException e) {
                group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
                throw e;
            }

            LOG.info("dx-reactor: transport {} ({}), {} workers, {}", transport.name(), why, count,
                    pinningText(cpus));
            return new DxReactor(transport, config, group, count, cpus);
        }

        private void warnIgnoredOptions(TransportProvider transport) {
            Set<String> ignored = ignoredOptions(transport, config);
            if (!ignored.isEmpty()) {
                LOG.warn("dx-reactor: transport {} ignores ReactorConfig {} (it supports: {})", transport.name(),
                        String.join(", ", ignored), transport.supportedOptions().isEmpty() ? "none"
                                : transport.supportedOptions().stream().sorted().collect(Collectors.joining(", ")));
            }
        }

        private String pinningText(int[] cpus) {
            if (cpus.length > 0) {
                return "pinned to CPUs " + Arrays.stream(cpus).mapToObj(Integer::toString)
                        .collect(Collectors.joining(","));
            }
            return pinToCores ? "unpinned (" + CpuAffinity.unsupportedReason() + ")" : "unpinned";
        }

        private static int[] cpusFor(int workers) {
            if (!CpuAffinity.isSupported()) {
                LOG.warn("dx-reactor: pinToCores requested but {}; workers run unpinned",
                        CpuAffinity.unsupportedReason());
                return new int[0];
            }
            int[] allowed = CpuAffinity.currentThreadCpus();
            int[] cpus = new int[workers];
            for (int i = 0; i < workers; i++) {
                cpus[i] = allowed[i % allowed.length];
            }
            return cpus;
        }

        /**
         * Runs one task on each worker so that every thread exists when {@code build()} returns, and pins
         * each one from inside its own thread; a failure surfaces here instead of in a dead loop.
         */
        private static void startWorkers(WorkerGroup group, int[] cpus) {
            List<Future<?>> started = new ArrayList<>();
            int index = 0;
            for (EventExecutor worker : group) {
                int cpu = cpus.length > 0 ? cpus[index] : -1;
                started.add(worker.submit(() -> {
                    if (cpu >= 0) {
                        CpuAffinity.pinCurrentThread(cpu);
                    }
                }));
                index++;
            }
            for (int i = 0; i < started.size(); i++) {
                try {
                    started.get(i).get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("dx-reactor: worker " + i + " failed to start"
                            + (cpus.length > 0 ? " on CPU " + cpus[i] : "") + ": " + e.getCause().getMessage(),
                            e.getCause());
                } catch (TimeoutException e) {
                    throw new IllegalStateException("dx-reactor: worker " + i + " did not start within "
                            + START_TIMEOUT_SECONDS + " s", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("dx-reactor: interrupted while starting workers", e);
                }
            }
        }
    }
}
