package dev.dxreactor.hbtp.cli;

import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpException;
import dev.dxreactor.hbtp.HbtpSubscription;
import dev.dxreactor.hbtp.HbtpTopicListener;
import io.netty.buffer.ByteBuf;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code hbtp subscribe}: a topic's state, then each change, one line each. */
@Command(name = "subscribe",
        description = "Subscribe to a topic: print its state (STATE_SYNC), then every change (STATE_DELTA) as it"
                + " arrives, one line each, until Ctrl-C, --count or --duration.")
final class SubscribeCommand implements Callable<Integer> {

    @ParentCommand
    private HbtpCli cli;

    @ArgGroup(validate = false, heading = "%nConnection:%n", order = 100)
    private ConnectOptions connect = new ConnectOptions();

    @ArgGroup(validate = false, heading = "%nOutput:%n", order = 90)
    private OutputOptions output = new OutputOptions();

    @Parameters(index = "0", paramLabel = "<topic>", converter = IdConverter.class,
            description = "Topic id, 0..65535 (decimal or 0x hex).")
    private int topic;

    @Option(names = {"-n", "--count"}, paramLabel = "<n>",
            description = "Stop after this many lines (the state counts as one).")
    private Long count;

    @Option(names = {"-d", "--duration"}, paramLabel = "<duration>", converter = DurationConverter.class,
            description = "Stop after this long.")
    private Duration duration;

    @Option(names = "--versions", description = "Start each line with 'sync <version>' or 'delta <base> <version>'"
            + " (with --type: a JSON object with kind, version and value).")
    private boolean versions;

    @Override
    public Integer call() throws InterruptedException {
        if (count != null && count < 1) {
            throw CliException.usage("--count must be at least 1");
        }
        Renderer renderer = output.renderer();
        Terminal terminal = cli.terminal();
        try (Connector connector = Connector.open(connect, 1, b -> b)) {
            HbtpClient client = connector.connect();
            StreamPrinter printer = new StreamPrinter(terminal, count);
            try {
                HbtpSubscription subscription;
                try {
                    subscription = client.subscribe(topic, listener(renderer, printer));
                } catch (HbtpException e) {
                    throw CliException.failed("cannot subscribe to topic " + topic + ": " + Connector.oneLine(e));
                }
                printer.await(client, duration);
                if (client.isOpen()) {
                    subscription.close();
                }
            } finally {
                client.close();
            }
            return printer.result();
        }
    }

    private HbtpTopicListener listener(Renderer renderer, StreamPrinter printer) {
        return new HbtpTopicListener() {
            @Override
            public void onSync(int topic, long version, ByteBuf state) {
                Map<String, Object> fields = new LinkedHashMap<>();
                if (versions) {
                    fields.put("kind", "sync");
                    fields.put("version", version);
                }
                printer.print(() -> renderer.line(fields, state));
            }

            @Override
            public void onDelta(int topic, long baseVersion, long version, ByteBuf delta) {
                Map<String, Object> fields = new LinkedHashMap<>();
                if (versions) {
                    fields.put("kind", "delta");
                    fields.put("baseVersion", baseVersion);
                    fields.put("version", version);
                }
                printer.print(() -> renderer.line(fields, delta));
            }
        };
    }
}
