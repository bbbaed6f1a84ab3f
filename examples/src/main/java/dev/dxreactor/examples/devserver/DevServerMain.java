package dev.dxreactor.examples.devserver;

import dev.dxreactor.reactor.DxReactor;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the dev server: {@code mvn -B -q -pl examples exec:exec -Dexample.main=dev.dxreactor.examples.devserver.DevServerMain
 * -Dexample.port=<directory>} serves that directory (the current one without it) with HBTP on 7010 and HTTP
 * (the live-reload page at {@code /dev/}, the files at {@code /files/}, WebSocket, {@code /stats}, {@code /metrics})
 * on 8090; {@code -Ddevserver.hbtpPort}, {@code -Ddevserver.httpPort} and {@code -Ddevserver.host} change them
 * (empty means the default). Ctrl-C stops it.
 */
public final class DevServerMain {

    private DevServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 && !args[0].isBlank() ? args[0] : ".");
        if (!Files.isDirectory(root)) {
            System.err.println("dev server: " + root.toAbsolutePath() + " is not a directory");
            System.exit(2);
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        String host = System.getProperty("devserver.host", "");
        DevServer server = DevServer.start(root, host.isBlank() ? "127.0.0.1" : host,
                Integer.getInteger("devserver.hbtpPort", 7010), Integer.getInteger("devserver.httpPort", 8090),
                DxReactor.builder().build(), registry);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "devserver-stop"));
        System.err.println("dev server on HBTP " + server.hbtpAddress() + " (route 1 a file, 2 a batch, 3 stats;"
                + " topic 1 hot-reload notices), HTTP " + server.httpAddress() + " (/dev/, /files/, /hbtp, /stats,"
                + " /metrics); file I/O on " + server.backend());
        System.err.println("live reload: http://" + server.httpAddress().getHostString() + ":"
                + server.httpAddress().getPort() + "/dev/#index.html");
        stopped.await();
    }
}
