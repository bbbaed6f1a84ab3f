package dev.dxreactor.benchmarks.rpc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one measurement as the process contract has it: the server JVM until it prints {@code LISTENING}, the
 * client JVM against it until it prints {@code RESULT}, then the server stopped (stdin closed, killed after a
 * grace period). Each JVM gets the same flags; their stderr goes to a file that is shown when something fails.
 */
final class PairRunner {

    static final long LISTEN_TIMEOUT_SECONDS = 60;
    static final long STOP_GRACE_SECONDS = 5;

    private final List<String> jvmFlags;
    private final List<String> hiddenFlags;
    private final double warmupSeconds;
    private final double seconds;
    private final int payload;

    /**
     * @param jvmFlags    the flags of every JVM, as the report prints them
     * @param hiddenFlags flags every JVM gets that are not worth printing (where to record the environment)
     */
    PairRunner(List<String> jvmFlags, List<String> hiddenFlags, double warmupSeconds, double seconds, int payload) {
        this.jvmFlags = List.copyOf(jvmFlags);
        this.hiddenFlags = List.copyOf(hiddenFlags);
        this.warmupSeconds = warmupSeconds;
        this.seconds = seconds;
        this.payload = payload;
    }

    /** The java launcher of this JVM: the children run on the same JDK. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    RpcResult measure(Peer peer) throws IOException, InterruptedException {
        Path serverLog = Files.createTempFile("dx-rpc-server", ".log");
        Path clientLog = Files.createTempFile("dx-rpc-client", ".log");
        Process server = new ProcessBuilder(command(peer, peer.serverMain(), "--port", "0", "--transport",
                peer.transport(), "--workers", "1"))
                .redirectError(serverLog.toFile())
                .start();
        try {
            int port = awaitListening(server, peer, serverLog);
            ClientSettings settings = new ClientSettings("127.0.0.1", port, peer.connections(), peer.inFlight(),
                    payload, warmupSeconds, seconds, peer.transport());
            Process client = new ProcessBuilder(command(peer, peer.clientMain(), settings.toArgs()))
                    .redirectError(clientLog.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            client.getOutputStream().close();
            List<String> out = new CopyOnWriteArrayList<>();
            CpuWindow cpu = new CpuWindow(server, client);
            Thread reader = collect(client, line -> {
                cpu.onLine(line);
                out.add(line);
            }, "client-stdout");
            long limit = (long) Math.ceil(warmupSeconds + seconds) + LoadRun.DRAIN_MILLIS / 1000 + 60;
            if (!client.waitFor(limit, TimeUnit.SECONDS)) {
                client.destroyForcibly().waitFor();
                throw failure(peer, "client did not finish within " + limit + " s", clientLog);
            }
            reader.join(TimeUnit.SECONDS.toMillis(STOP_GRACE_SECONDS));
            String line = out.stream().filter(l -> l.startsWith(RpcResult.PREFIX)).reduce((a, b) -> b)
                    .orElseThrow(() -> failure(peer, "client exited " + client.exitValue() + " without a RESULT line",
                            clientLog));
            RpcResult result = cpu.addTo(RpcResult.parse(line));
            if (result.errors() > 0) {
                System.err.println(peer.name() + ": " + result.errors() + " errors; client stderr:\n"
                        + tail(clientLog));
            }
            return result;
        } finally {
            stop(server);
            Files.deleteIfExists(serverLog);
            Files.deleteIfExists(clientLog);
        }
    }

    /**
     * The CPU time both processes spend between the client's {@link LoadRun#WINDOW_START} and
     * {@link LoadRun#WINDOW_END} lines, read from the OS as each line arrives (a few milliseconds late at most,
     * against a window of seconds).
     */
    private static final class CpuWindow {
        private final Process server;
        private final Process client;
        private volatile long serverAtStart = -1;
        private volatile long clientAtStart = -1;
        private volatile long serverInWindow = -1;
        private volatile long clientInWindow = -1;

        CpuWindow(Process server, Process client) {
            this.server = server;
            this.client = client;
        }

        void onLine(String line) {
            if (line.equals(LoadRun.WINDOW_START)) {
                serverAtStart = cpuNanos(server);
                clientAtStart = cpuNanos(client);
            } else if (line.equals(LoadRun.WINDOW_END) && serverAtStart >= 0 && clientAtStart >= 0) {
                long serverNow = cpuNanos(server);
                long clientNow = cpuNanos(client);
                if (serverNow >= 0 && clientNow >= 0) {
                    serverInWindow = serverNow - serverAtStart;
                    clientInWindow = clientNow - clientAtStart;
                }
            }
        }

        /** The result with the CPU figures, or as it is where the OS did not tell them. */
        RpcResult addTo(RpcResult result) {
            return serverInWindow < 0 ? result : result.withCpu(serverInWindow, clientInWindow);
        }

        private static long cpuNanos(Process process) {
            return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
        }
    }

    private List<String> command(Peer peer, String main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmFlags);
        command.addAll(hiddenFlags);
        command.addAll(peer.extraFlags());
        command.add("-cp");
        command.add(peer.classPath());
        command.add(main);
        command.addAll(List.of(args));
        return command;
    }

    private static int awaitListening(Process server, Peer peer, Path log) throws InterruptedException, IOException {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        collect(server, lines::add, "server-stdout");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LISTEN_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith("LISTENING ")) {
                return Integer.parseInt(line.substring("LISTENING ".length()).trim());
            }
            if (line == null && !server.isAlive() && lines.isEmpty()) {
                throw failure(peer, "server exited " + server.exitValue() + " before LISTENING", log);
            }
        }
        throw failure(peer, "no LISTENING from the server within " + LISTEN_TIMEOUT_SECONDS + " s", log);
    }

    /** Hands every line {@code process} prints to {@code sink}, on a daemon thread, until its stdout ends. */
    private static Thread collect(Process process, Consumer<String> sink, String name) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // The process is gone; its exit is what the caller reports.
            }
        }, name);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** Closes the server's stdin (its signal to stop), then kills it if it has not exited in time. */
    static void stop(Process server) throws InterruptedException {
        try {
            server.getOutputStream().close();
        } catch (IOException e) {
            // Already closed: the server is gone.
        }
        if (!server.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
            server.destroy();
            if (!server.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }

    private static IllegalStateException failure(Peer peer, String what, Path log) {
        return new IllegalStateException(String.format(Locale.ROOT, "%s: %s; its stderr:%n%s", peer.name(), what,
                tail(log)));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
