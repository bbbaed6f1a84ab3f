package dev.dxreactor.hbtp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * {@code hbtp}: a command-line client for any HBTP/1 server. {@code ping} connects and times PING/PONG,
 * {@code call} makes one RPC, {@code subscribe} follows a topic, {@code event} sends a CLIENT_EVENT (and can
 * listen for SERVER_EVENTs), {@code bench} loads a route and reports latency percentiles.
 *
 * <p>Exit codes: 0 success, 1 a call failed (RPC error, timeout, wrong answer), 2 usage error, 3 no
 * connection or handshake.
 */
@Command(name = "hbtp", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = HbtpCli.Version.class,
        description = "Command-line client for HBTP/1 servers: ping, call, subscribe, event, bench.",
        subcommands = {PingCommand.class, CallCommand.class, SubscribeCommand.class, EventCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a call failed (RPC error, timeout, wrong answer)", "2:usage error",
                "3:no connection, handshake failed or connection lost"})
public final class HbtpCli {

    private final Terminal terminal;

    private HbtpCli(Terminal terminal) {
        this.terminal = terminal;
    }

    /** Runs {@code hbtp} with {@code args} and exits with its exit code. */
    public static void main(String[] args) {
        // Library logging (transport selection, Netty) stays quiet unless asked for with -D.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        boolean interactive = System.console() != null && System.console().isTerminal();
        System.exit(commandLine(new Terminal(System.in, System.out, System.err, interactive)).execute(args));
    }

    /**
     * Runs one command line on these streams and returns its exit code, without exiting: for programs and
     * tests that run {@code hbtp} in their own JVM. Standard input is never treated as a terminal.
     */
    public static int execute(InputStream in, PrintStream out, PrintStream err, String... args) {
        return commandLine(new Terminal(in, out, err, false)).execute(args);
    }

    static CommandLine commandLine(Terminal terminal) {
        CommandLine commandLine = new CommandLine(new HbtpCli(terminal));
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(terminal.out(), StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new OutputStreamWriter(terminal.err(), StandardCharsets.UTF_8), true));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((e, args) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            terminal.error(command + ": " + e.getMessage() + " (see '" + command + " --help')");
            return ExitCode.USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            if (e instanceof CliException failure) {
                terminal.error(cl.getCommandSpec().qualifiedName() + ": " + failure.getMessage());
                return failure.exitCode();
            }
            terminal.error(cl.getCommandSpec().qualifiedName() + ": " + Connector.oneLine(e)
                    + " (" + e.getClass().getSimpleName() + ")");
            return ExitCode.FAILED;
        });
        return commandLine;
    }

    /** The streams of this run, for the subcommands. */
    Terminal terminal() {
        return terminal;
    }

    /** The version from the jar's manifest, or "development build" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = HbtpCli.class.getPackage().getImplementationVersion();
            return new String[] {"hbtp " + (version != null ? version : "(development build)")
                    + ", HBTP/1, Netty " + io.netty.util.Version.identify().values().stream()
                    .filter(v -> v.artifactId().equals("netty-common")).map(io.netty.util.Version::artifactVersion)
                    .findFirst().orElse("?")};
        }
    }
}
