package dev.dxreactor.hbtp.cli;

import dev.dxreactor.hbtp.HbtpCallFuture;
import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpException;
import dev.dxreactor.hbtp.HbtpMetadata;
import dev.dxreactor.hbtp.HbtpRpcException;
import dev.dxreactor.hbtp.HbtpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** {@code hbtp call}: one RPC, its answer on stdout. */
@Command(name = "call",
        description = "Call a route once and print the answer: raw bytes (default), hex, or JSON with --type.")
final class CallCommand implements Callable<Integer> {

    @ParentCommand
    private HbtpCli cli;

    @ArgGroup(validate = false, heading = "%nConnection:%n", order = 100)
    private ConnectOptions connect = new ConnectOptions();

    @ArgGroup(validate = false, heading = "%nOutput:%n", order = 90)
    private OutputOptions output = new OutputOptions();

    @Parameters(index = "0", paramLabel = "<route>", converter = IdConverter.class,
            description = "Route id, 0..65535 (decimal or 0x hex).")
    private int route;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<payload>",
            description = "Request body as UTF-8 text, or - to read it from stdin (default: empty).")
    private String payload;

    @Option(names = {"-f", "--file"}, paramLabel = "<path>", description = "Read the request body from this file.")
    private Path file;

    @Option(names = {"-m", "--metadata"}, paramLabel = "<key=value>", converter = MetadataConverter.class,
            description = "A metadata entry sent with the call (repeatable), e.g. auth=<token> or deadline-ms=500.")
    private List<HbtpMetadata.Entry> metadata = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "30s", converter = DurationConverter.class,
            description = "Time to wait for the answer (default: ${DEFAULT-VALUE}); the call is cancelled then.")
    private Duration timeout;

    @Option(names = {"-v", "--verbose"}, description = "Also print the answer's metadata and the call's time on"
            + " stderr.")
    private boolean verbose;

    @Override
    public Integer call() throws InterruptedException {
        Terminal terminal = cli.terminal();
        Renderer renderer = output.renderer();
        byte[] body = Payloads.read(payload, file, terminal);
        HbtpMetadata block = MetadataConverter.block(metadata);
        if (timeout.isZero()) {
            throw CliException.usage("--timeout must be more than 0");
        }
        try (Connector connector = Connector.open(connect, 1, b -> b.callTimeout(timeout))) {
            HbtpClient client = connector.connect();
            try {
                long start = System.nanoTime();
                HbtpCallFuture answer = client.call(route,
                        body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body), block, timeout);
                ByteBuf response = await(answer, client);
                long nanos = System.nanoTime() - start;
                try {
                    if (verbose) {
                        answer.responseMetadata().entries().forEach(e -> terminal.error("< " + e));
                        terminal.error(String.format(Locale.ROOT, "< %d bytes in %.3f ms",
                                response.readableBytes(), nanos / 1e6));
                    }
                    terminal.write(renderer.answer(response));
                } finally {
                    response.release();
                }
            } finally {
                client.close();
            }
        }
        return ExitCode.OK;
    }

    private ByteBuf await(HbtpCallFuture answer, HbtpClient client) throws InterruptedException {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HbtpException lost && !client.isOpen()) {
                throw CliException.connection("connection lost during the call: " + Connector.oneLine(lost), lost);
            }
            throw failure(route, timeout, e.getCause());
        }
    }

    /** The one line for a call that ended without an answer. */
    static CliException failure(int route, Duration timeout, Throwable cause) {
        if (cause instanceof HbtpRpcException rpc) {
            return CliException.failed("route " + route + " answered " + HbtpStatus.name(rpc.status())
                    + " (" + rpc.status() + "): " + rpc.getMessage());
        }
        if (cause instanceof TimeoutException) {
            return CliException.failed("no answer from route " + route + " within "
                    + DurationConverter.format(timeout));
        }
        return CliException.failed("call to route " + route + " failed: " + Connector.oneLine(cause));
    }
}
