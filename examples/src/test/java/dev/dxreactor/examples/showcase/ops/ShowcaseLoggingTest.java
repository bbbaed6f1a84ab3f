package dev.dxreactor.examples.showcase.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dxreactor.examples.showcase.ShowcaseConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The showcase's logs as an operator reads them: JSON lines with the MDC, the level filter, rotation by size. */
class ShowcaseLoggingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger("showcase.test");

    @TempDir
    Path dir;

    /** The rest of the test run logs as logback-test.xml says again. */
    @AfterEach
    void restoreTheTestLogging() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    @Test
    void everyLineIsOneJsonObjectWithTheMdcAndTheLevelFilterDropsWhatIsBelowIt() throws Exception {
        Path file = dir.resolve("showcase.log");
        configure(new ShowcaseConfig.Logging("WARN", true, file, 100L << 20, 5));

        LOG.info("dropped: below the level");
        LOG.debug("dropped too");
        MDC.put("hbtp.conn", "7");
        MDC.put("hbtp.route", "3");
        MDC.put("hbtp.seq", "41");
        try {
            LOG.warn("slow call: route {} took {} ms", 3, 1200);
        } finally {
            MDC.clear();
        }
        LOG.error("failed with \"quotes\", a newline\nand a stack", new IllegalStateException("boom"));
        ShowcaseLogging.stop();

        List<JsonNode> lines = jsonLines(file);
        assertThat(lines).hasSize(2);
        JsonNode warn = lines.get(0);
        assertThat(warn.get("level").asText()).isEqualTo("WARN");
        assertThat(warn.get("logger_name").asText()).isEqualTo("showcase.test");
        assertThat(warn.get("message").asText()).isEqualTo("slow call: route 3 took 1200 ms");
        assertThat(warn.get("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*");
        assertThat(warn.get("hbtp.conn").asText()).isEqualTo("7");
        assertThat(warn.get("hbtp.route").asText()).isEqualTo("3");
        assertThat(warn.get("hbtp.seq").asText()).isEqualTo("41");
        JsonNode error = lines.get(1);
        assertThat(error.get("level").asText()).isEqualTo("ERROR");
        assertThat(error.get("message").asText()).contains("\"quotes\"").contains("\nand a stack");
        assertThat(error.get("stack_trace").asText()).contains("IllegalStateException: boom");
        assertThat(error.has("hbtp.route")).as("the MDC was cleared").isFalse();
    }

    @Test
    void theFileIsRotatedBySizeAndKeepsOnlyMaxHistoryOldFiles() throws Exception {
        Path file = dir.resolve("rotating.log");
        configure(new ShowcaseConfig.Logging("INFO", true, file, 2048, 2));
        String padding = "x".repeat(200);
        // The size is looked at once a second, not on every line: write slowly until three rotations have happened
        // (the third drops the oldest file).
        int rotations = 0;
        long lastSize = 0;
        for (int i = 0; i < 20_000 && rotations < 3; i++) {
            LOG.info("line {} {}", i, padding);
            long size = Files.size(file);
            if (size < lastSize) {
                rotations++;
            }
            lastSize = size;
            Thread.sleep(2);
        }
        assertThat(rotations).isEqualTo(3);
        ShowcaseLogging.stop();

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("rotating.log", "rotating.log.1", "rotating.log.2");
        }
        for (String name : List.of("rotating.log", "rotating.log.1", "rotating.log.2")) {
            assertThat(jsonLines(dir.resolve(name))).as(name).isNotEmpty()
                    .allSatisfy(line -> assertThat(line.get("message").asText()).contains(padding));
        }
    }

    private static void configure(ShowcaseConfig.Logging settings) {
        ShowcaseLogging.configure(settings);
        // Standard output is the test's own: only the file is read here.
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).detachAppender("console");
    }

    /** Every line of {@code file}, each parsed as one JSON object (a line that is not one fails the test). */
    private static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode node = JSON.readTree(line);
            assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
            nodes.add(node);
        }
        return nodes;
    }
}
