package dev.dxreactor.hbtp.cli;

import dev.dxreactor.hbtp.HbtpCapabilities;
import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpHello;
import io.netty.handler.ssl.SslHandler;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import javax.net.ssl.SSLSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code hbtp ping}: connect, handshake, report what the server agreed to, and time PING/PONG round trips. */
@Command(name = "ping",
        description = "Connect and handshake, show the server's HELLO_ACK (capabilities, limits) and time"
                + " PING/PONG round trips.")
final class PingCommand implements Callable<Integer> {

    @ParentCommand
    private HbtpCli cli;

    @ArgGroup(validate = false, heading = "%nConnection:%n", order = 100)
    private ConnectOptions connect = new ConnectOptions();

    @Option(names = {"-c", "--count"}, paramLabel = "<n>", defaultValue = "3",
            description = "PINGs to send, one after the other (default: ${DEFAULT-VALUE}; 0 only connects).")
    private int count;

    @Option(names = "--interval", paramLabel = "<duration>", defaultValue = "0s", converter = DurationConverter.class,
            description = "Pause between PINGs (default: ${DEFAULT-VALUE}).")
    private Duration interval;

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "5s", converter = DurationConverter.class,
            description = "Time to wait for each PONG (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    private boolean json;

    @Override
    public Integer call() throws InterruptedException {
        if (count < 0) {
            throw CliException.usage("--count must not be negative");
        }
        Terminal terminal = cli.terminal();
        try (Connector connector = Connector.open(connect, 1, b -> b)) {
            long start = System.nanoTime();
            HbtpClient client = connector.connect();
            long handshakeNanos = System.nanoTime() - start;
            try {
                Map<String, Object> facts = facts(connector, client, handshakeNanos);
                if (!json) {
                    printFacts(terminal, facts);
                }
                List<Double> rtts = pings(client, terminal);
                if (json) {
                    facts.put("pingMillis", rtts);
                    terminal.println(Json.write(facts));
                } else if (!rtts.isEmpty()) {
                    double min = rtts.stream().mapToDouble(Double::doubleValue).min().orElse(0);
                    double max = rtts.stream().mapToDouble(Double::doubleValue).max().orElse(0);
                    double avg = rtts.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                    terminal.println(String.format(Locale.ROOT, "%d PONGs, min/avg/max %.3f/%.3f/%.3f ms",
                            rtts.size(), min, avg, max));
                }
            } finally {
                client.close();
            }
        }
        return ExitCode.OK;
    }

    private static Map<String, Object> facts(Connector connector, HbtpClient client, long handshakeNanos) {
        HbtpHello hello = client.serverHello();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("address", connector.address());
        facts.put("transport", connector.transportName());
        facts.put("handshakeMillis", round(handshakeNanos / 1e6));
        facts.put("version", hello.version());
        List<String> capabilities = new ArrayList<>();
        int agreed = client.capabilities();
        for (int bit = 1; bit <= 0x8000; bit <<= 1) {
            if ((agreed & bit) != 0) {
                capabilities.add(HbtpCapabilities.toString(bit).equals("none") ? "0x" + Integer.toHexString(bit)
                        : HbtpCapabilities.toString(bit));
            }
        }
        facts.put("capabilities", capabilities);
        facts.put("maxFrameLength", hello.maxFrameLength());
        facts.put("maxMessageLength", hello.maxMessageLength());
        facts.put("encryption", (agreed & HbtpCapabilities.ENCRYPTION) != 0);
        facts.put("preSharedKey", connector.config().hasPreSharedKey());
        SslHandler ssl = client.channel().pipeline().get(SslHandler.class);
        if (ssl != null) {
            SSLSession session = ssl.engine().getSession();
            facts.put("tls", session.getProtocol() + " " + session.getCipherSuite());
        } else {
            facts.put("tls", null);
        }
        return facts;
    }

    private static void printFacts(Terminal terminal, Map<String, Object> facts) {
        terminal.println(String.format(Locale.ROOT, "connected to %s over %s, handshake %.3f ms",
                facts.get("address"), facts.get("transport"), (Double) facts.get("handshakeMillis")));
        @SuppressWarnings("unchecked")
        List<String> capabilities = (List<String>) facts.get("capabilities");
        terminal.println("server: HBTP/" + facts.get("version") + ", agreed capabilities "
                + (capabilities.isEmpty() ? "none" : String.join("|", capabilities))
                + ", max frame " + facts.get("maxFrameLength") + " B, max message " + facts.get("maxMessageLength")
                + " B");
        Object tls = facts.get("tls");
        boolean encrypted = (Boolean) facts.get("encryption");
        terminal.println("security: TLS " + (tls != null ? tls : "off") + ", HBTP encryption "
                + (encrypted ? "on" + ((Boolean) facts.get("preSharedKey") ? " with a pre-shared key" : "") : "off"));
    }

    private List<Double> pings(HbtpClient client, Terminal terminal) throws InterruptedException {
        List<Double> rtts = new ArrayList<>();
        if (count == 0) {
            return rtts;
        }
        PingProbe probe = PingProbe.install(client.channel());
        for (int i = 1; i <= count; i++) {
            int sequence = i & 0xFFFF;
            CompletableFuture<Long> pong = probe.ping(sequence);
            long nanos;
            try {
                nanos = pong.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                probe.forget(sequence);
                throw CliException.failed("no PONG for PING " + i + " within " + DurationConverter.format(timeout));
            } catch (ExecutionException e) {
                throw new CliException(ExitCode.CONNECTION, "PING " + i + " failed: " + Connector.oneLine(e.getCause()),
                        e.getCause());
            }
            double millis = round(nanos / 1e6);
            rtts.add(millis);
            if (!json) {
                terminal.println(String.format(Locale.ROOT, "PONG %d: %.3f ms", i, millis));
            }
            if (i < count && !interval.isZero()) {
                Thread.sleep(interval);
            }
        }
        return rtts;
    }

    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
