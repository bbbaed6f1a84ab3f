package dev.dxreactor.hbtp.cli;

import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientEventListener;
import io.netty.buffer.Unpooled;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code hbtp event}: one CLIENT_EVENT, and optionally the SERVER_EVENTs that follow. */
@Command(name = "event",
        description = "Send a CLIENT_EVENT; with --listen, then print the SERVER_EVENTs that arrive, one line each"
                + " ('<event id> <payload>', or a JSON object with --type).")
final class EventCommand implements Callable<Integer> {

    /** Every event id, when no --server-event narrows them. */
    private static final int EVENT_IDS = 0x10000;

    @ParentCommand
    private HbtpCli cli;

    @ArgGroup(validate = false, heading = "%nConnection:%n", order = 100)
    private ConnectOptions connect = new ConnectOptions();

    @ArgGroup(validate = false, heading = "%nOutput:%n", order = 90)
    private OutputOptions output = new OutputOptions();

    @Parameters(index = "0", paramLabel = "<event>", converter = IdConverter.class,
            description = "Event id, 0..65535 (decimal or 0x hex).")
    private int event;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<payload>",
            description = "Event body as UTF-8 text, or - to read it from stdin (default: empty).")
    private String payload;

    @Option(names = {"-f", "--file"}, paramLabel = "<path>", description = "Read the event body from this file.")
    private Path file;

    @Option(names = {"-l", "--listen"}, paramLabel = "<duration>", converter = DurationConverter.class,
            description = "After sending, print SERVER_EVENTs for this long.")
    private Duration listen;

    @Option(names = "--server-event", paramLabel = "<id>", converter = IdConverter.class,
            description = "Listen for this SERVER_EVENT id only (repeatable; default: every id).")
    private List<Integer> serverEvents = new ArrayList<>();

    @Option(names = {"-n", "--count"}, paramLabel = "<n>",
            description = "With --listen: stop after this many SERVER_EVENTs.")
    private Long count;

    @Override
    public Integer call() throws InterruptedException {
        if (count != null && listen == null) {
            throw CliException.usage("--count counts SERVER_EVENTs: it needs --listen");
        }
        if (count != null && count < 1) {
            throw CliException.usage("--count must be at least 1");
        }
        if (!serverEvents.isEmpty() && listen == null) {
            throw CliException.usage("--server-event needs --listen");
        }
        Terminal terminal = cli.terminal();
        Renderer renderer = listen != null ? output.renderer() : null;
        byte[] body = Payloads.read(payload, file, terminal);
        try (Connector connector = Connector.open(connect, 1, b -> b)) {
            HbtpClient client = connector.connect();
            try {
                StreamPrinter printer = null;
                if (listen != null) {
                    // Listening starts before the event goes out: an answer to it cannot be missed.
                    printer = new StreamPrinter(terminal, count);
                    HbtpClientEventListener listener = listener(renderer, printer);
                    if (serverEvents.isEmpty()) {
                        for (int id = 0; id < EVENT_IDS; id++) {
                            client.onServerEvent(id, listener);
                        }
                    } else {
                        serverEvents.forEach(id -> client.onServerEvent(id, listener));
                    }
                }
                client.sendEvent(event, body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
                if (printer != null) {
                    printer.await(client, listen);
                    return printer.result();
                }
            } finally {
                // The CLOSE handshake: the server reads the event before it answers CLOSE.
                client.close();
            }
        }
        return ExitCode.OK;
    }

    private static HbtpClientEventListener listener(Renderer renderer, StreamPrinter printer) {
        return (id, payload) -> {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("event", id);
            printer.print(() -> renderer.line(fields, payload));
        };
    }
}
