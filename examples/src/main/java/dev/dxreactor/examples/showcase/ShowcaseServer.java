package dev.dxreactor.examples.showcase;

import dev.dxreactor.transport.Transports;

import java.time.Duration;

/**
 * Starts the showcase: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec}. Settings are
 * {@code -Dshowcase.*} system properties (see {@link ShowcaseConfig} and examples/README.md); {@code DX_PG_URL}
 * points it at a PostgreSQL server instead of the embedded one.
 */
public final class ShowcaseServer {

    private ShowcaseServer() {
    }

    public static void main(String[] args) throws Exception {
        ShowcaseConfig config;
        try {
            config = ShowcaseConfig.fromSystem();
        } catch (IllegalArgumentException e) {
            System.err.println("showcase: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println(Transports.describe());
        Showcase showcase = Showcase.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("showcase: stopping (no new connections; running calls finish first)");
            try {
                boolean finished = showcase.stop(Duration.ofSeconds(10));
                System.out.println(finished ? "showcase: stopped" : "showcase: stopped; some calls did not finish in 10 s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "showcase-shutdown"));
        Banner.print(showcase, System.out);
        // The servers run on the reactor's threads; this thread only keeps the JVM until Ctrl-C.
        Thread.currentThread().join();
    }
}
