package dev.dxreactor.examples.showcase;

import dev.dxreactor.examples.showcase.config.InvalidConfigException;
import dev.dxreactor.examples.showcase.config.ShowcaseConfigLoader;
import dev.dxreactor.examples.showcase.ops.ShowcaseLogging;
import dev.dxreactor.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the showcase: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec}. Settings: a HOCON file
 * ({@code --config showcase.conf}), environment variables and {@code -Dshowcase.*} (see {@link ShowcaseConfigLoader}
 * and examples/README.md).
 *
 * <p>Exit codes: 0 after a clean stop (SIGTERM or Ctrl-C, every running call finished), 1 when the shutdown grace
 * cut calls off or the showcase could not start, 2 when the configuration has mistakes (all of them are printed).
 */
public final class ShowcaseServer {

    public static final int EXIT_CLEAN = 0;
    public static final int EXIT_CUT_OFF = 1;
    public static final int EXIT_BAD_CONFIG = 2;

    private static final Logger LOG = LoggerFactory.getLogger("showcase");

    private ShowcaseServer() {
    }

    public static void main(String[] args) {
        CountDownLatch stopRequested = new CountDownLatch(1);
        // Handled here rather than by a shutdown hook, so that the exit code can say whether the stop was clean.
        Signal.handle(new Signal("TERM"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("INT"), signal -> stopRequested.countDown());
        int code = run(args, System.getenv(), System.getProperties(), stopRequested, System.err);
        System.exit(code);
    }

    /**
     * Runs the showcase until {@code stopRequested} opens, then stops it gracefully.
     *
     * @return the exit code
     */
    static int run(String[] args, Map<String, String> env, Properties props, CountDownLatch stopRequested,
                   PrintStream err) {
        Path file;
        try {
            file = configFile(args);
        } catch (IllegalArgumentException e) {
            err.println("showcase: " + e.getMessage());
            err.println("usage: ShowcaseServer [--config <file.conf>]");
            return EXIT_BAD_CONFIG;
        }
        ShowcaseConfig config;
        try {
            config = ShowcaseConfigLoader.load(file, env, props);
        } catch (InvalidConfigException e) {
            err.println("showcase: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        }
        ShowcaseLogging.configure(config.logging());
        try {
            return serve(config, stopRequested);
        } finally {
            ShowcaseLogging.stop();
        }
    }

    private static int serve(ShowcaseConfig config, CountDownLatch stopRequested) {
        LOG.info("{}", Transports.describe());
        Showcase showcase;
        try {
            showcase = Showcase.start(config);
        } catch (Exception e) {
            LOG.error("showcase: could not start", e);
            return EXIT_CUT_OFF;
        }
        // With JSON logs, standard output carries only log lines; the human summary goes to standard error.
        Banner.print(showcase, config.logging().json() ? System.err : System.out);
        LOG.info("showcase: serving HBTP on {} and HTTP on {}", showcase.hbtpAddress(), showcase.httpAddress());
        try {
            stopRequested.await();
            LOG.info("showcase: stopping (no new connections or calls; running calls have {} ms to finish)",
                    config.shutdownGrace().toMillis());
            boolean finished = showcase.stop(config.shutdownGrace());
            LOG.info(finished ? "showcase: stopped cleanly" : "showcase: stopped; calls were cut off");
            return finished ? EXIT_CLEAN : EXIT_CUT_OFF;
        } catch (InterruptedException e) {
            LOG.warn("showcase: interrupted; stopping without waiting for running calls", e);
            showcase.close();
            return EXIT_CUT_OFF;
        }
    }

    private static Path configFile(String[] args) {
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.isBlank()) {
                continue; // build tools pass an empty argument when none is set
            }
            if (arg.equals("--config") && i + 1 < args.length && !args[i + 1].isBlank()) {
                file = Path.of(args[++i]);
            } else if (arg.startsWith("--config=")) {
                file = Path.of(arg.substring("--config=".length()));
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        return file;
    }
}
