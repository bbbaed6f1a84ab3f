package dev.dxreactor.examples.showcase;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** What the showcase's main does before it serves anything: bad settings exit 2 with every mistake listed. */
class ShowcaseServerTest {

    @Test
    void aConfigurationWithThreeMistakesExitsTwoListingAllThree() {
        Properties props = new Properties();
        props.setProperty("showcase.hbtp.port", "99999");
        props.setProperty("showcase.logging.level", "verbose");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ShowcaseServer.run(new String[0], Map.of("SHOWCASE_SHUTDOWN_GRACE", "-3s"), props,
                new CountDownLatch(1), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(ShowcaseServer.EXIT_BAD_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("the configuration has 3 mistakes")
                .contains("showcase.hbtp.port = \"99999\" (system property)")
                .contains("showcase.logging.level")
                .contains("showcase.shutdown.grace = \"-3s\" (environment variable SHOWCASE_SHUTDOWN_GRACE)");
    }

    @Test
    void anUnknownArgumentExitsTwoWithTheUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ShowcaseServer.run(new String[] {"--port", "1"}, Map.of(), new Properties(), new CountDownLatch(1),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(ShowcaseServer.EXIT_BAD_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown argument '--port'").contains("usage:");
    }
}
