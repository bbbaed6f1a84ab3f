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
 * (WebSocket, {@code /stats}, {@code /metrics}) on 8090; {@code -Ddevserver.hbtpPort}, {@code -Ddevserver.httpPort}
 * and {@code -Ddevserver.host} change them. Ctrl-C stops it.
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
        DevServer server = DevServer.start(root, System.getProperty("devserver.host", "127.0.0.1"),
                Integer.getInteger("devserver.hbtpPort", 7010), Integer.getInteger("devserver.httpPort", 8090),
                DxReactor.builder().build(), registry);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "devserver-stop"));
        System.err.println("dev server on HBTP " + server.hbtpAddress() + " (route 1 a file, 2 a batch, 3 stats;"
                + " topic 1 hot-reload notices), HTTP " + server.httpAddress() + " (/hbtp, /stats, /metrics);"
                + " file I/O on " + server.backend());
        stopped.await();
    }
}
