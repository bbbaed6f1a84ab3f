package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Micrometer is an optional dependency: a server and a client without a meter registry must work with no
 * Micrometer jar at all. A JVM of its own runs one call on a class path without it; any Micrometer class the
 * code reached would fail it with {@link NoClassDefFoundError}.
 */
class WithoutMicrometerTest {

    @Test
    void aServerAndClientWithoutMetricsRunWithoutMicrometerOnTheClassPath() throws Exception {
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = Arrays.asList(full.split(File.pathSeparator));
        assertThat(entries).as("the test class path has Micrometer to leave out").anyMatch(WithoutMicrometerTest::isMicrometer);
        String classPath = entries.stream().filter(e -> !isMicrometer(e)).collect(Collectors.joining(File.pathSeparator));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", classPath,
                "-Dio.netty.leakDetection.level=paranoid", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                Main.class.getName())
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).doesNotContain("LEAK", "NoClassDefFoundError").contains("echoed: hello");
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static boolean isMicrometer(String entry) {
        return entry.replace('\\', '/').contains("/io/micrometer/");
    }

    /** One call through a server and a client built without a meter registry. */
    public static final class Main {
        public static void main(String[] args) throws Exception {
            try {
                Class.forName("io.micrometer.core.instrument.MeterRegistry", false, Main.class.getClassLoader());
                throw new AssertionError("Micrometer is on the class path: this run proves nothing");
            } catch (ClassNotFoundException expected) {
                // as it should be
            }
            HbtpServerConfig config = HbtpServerConfig.builder()
                    .router(new HbtpRouter()
                            .route(1, call -> call.payload().retain())
                            .routeBlocking(2, call -> call.payload().retain()))
                    .topics(new HbtpTopics())
                    .build();
            try (LoopbackServer server = new LoopbackServer(config);
                 HbtpClient client = HbtpClient.connect(server.address(), HbtpClientConfig.defaults())) {
                for (int route = 1; route <= 2; route++) {
                    ByteBuf answer = client.call(route, Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8))
                            .get(10, TimeUnit.SECONDS);
                    System.out.println("echoed: " + answer.toString(StandardCharsets.UTF_8));
                    answer.release();
                }
            }
            System.exit(0);
        }
    }
}
