package dev.dxreactor.examples.showcase.config;

import dev.dxreactor.examples.showcase.ShowcaseConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShowcaseConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void withNothingGivenEverySettingHasItsDefault() throws Exception {
        ShowcaseConfig config = ShowcaseConfigLoader.load(null, Map.of(), new Properties());
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.hbtpPort()).isEqualTo(ShowcaseConfig.DEFAULT_HBTP_PORT);
        assertThat(config.httpPort()).isEqualTo(ShowcaseConfig.DEFAULT_HTTP_PORT);
        assertThat(config.databaseUrl()).isNull();
        assertThat(config.jwtSecret()).isNull();
        assertThat(config.hbtp().maxFrameLength()).isEqualTo(1 << 20);
        assertThat(config.hbtp().maxMessageLength()).isEqualTo(16 << 20);
        assertThat(config.hbtp().slowCallThreshold()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.logging().level()).isEqualTo("INFO");
        assertThat(config.logging().json()).isTrue();
        assertThat(config.logging().maxFileSize()).as("rotation at 100 MiB").isEqualTo(100L << 20);
        assertThat(config.metrics()).isTrue();
    }

    @Test
    void theFileOverridesTheDefaultsTheEnvironmentTheFileAndSystemPropertiesEverything() throws Exception {
        Path file = write("""
                showcase {
                  hbtp { port = 7100, max-frame-length = 64KiB, max-fragments = 256 }
                  http.port = 8100
                  logging { level = debug, format = text }
                  shutdown.grace = 3s
                }
                """);
        Properties props = new Properties();
        props.setProperty("showcase.http.port", "8300");
        props.setProperty("showcase.workers", " ");
        ShowcaseConfig config = ShowcaseConfigLoader.load(file,
                Map.of("SHOWCASE_HTTP_PORT", "8200", "SHOWCASE_HBTP_MAX_IN_FLIGHT", "64", "SHOWCASE_WORKERS", "3"),
                props);
        assertThat(config.hbtpPort()).as("file").isEqualTo(7100);
        assertThat(config.hbtp().maxFrameLength()).isEqualTo(64 << 10);
        assertThat(config.hbtp().maxFragments()).isEqualTo(256);
        assertThat(config.hbtp().maxInFlight()).as("environment").isEqualTo(64);
        assertThat(config.workers()).as("a blank system property is no setting").isEqualTo(3);
        assertThat(config.httpPort()).as("system property over environment over file").isEqualTo(8300);
        assertThat(config.logging().level()).isEqualTo("DEBUG");
        assertThat(config.logging().json()).isFalse();
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void theFileCanBeNamedByAPropertyOrTheEnvironmentAndDxPgUrlIsTheDatabaseUnlessOneIsSet() throws Exception {
        Path file = write("showcase.hbtp.port = 7200\n");
        Properties props = new Properties();
        props.setProperty(ShowcaseConfigLoader.FILE_PROPERTY, file.toString());
        String url = "r2dbc:postgresql://shop:secret@db:5432/shop";
        assertThat(ShowcaseConfigLoader.load(null, Map.of("DX_PG_URL", url), props))
                .satisfies(c -> assertThat(c.hbtpPort()).isEqualTo(7200))
                .satisfies(c -> assertThat(c.databaseUrl()).isEqualTo(url));
        assertThat(ShowcaseConfigLoader.load(null, Map.of(ShowcaseConfigLoader.FILE_VARIABLE, file.toString(),
                "DX_PG_URL", url, "SHOWCASE_DATABASE", "r2dbc:postgresql://other/db"), new Properties()))
                .satisfies(c -> assertThat(c.hbtpPort()).isEqualTo(7200))
                .satisfies(c -> assertThat(c.databaseUrl()).isEqualTo("r2dbc:postgresql://other/db"));
    }

    @Test
    void threeMistakesAreAllReportedWithPathValueOriginRuleAndSuggestion() throws Exception {
        Path file = write("""
                showcase {
                  hbtp.port = 70000
                  logging.level = WARNN
                  rate-limit.per-second = -5
                }
                """);
        assertThatThrownBy(() -> ShowcaseConfigLoader.load(file, Map.of(), new Properties()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                            "showcase.hbtp.port", "showcase.logging.level", "showcase.rate-limit.per-second");
                    ConfigProblem port = problem(e, "showcase.hbtp.port");
                    assertThat(port.value()).isEqualTo("70000");
                    assertThat(port.origin()).contains(file.getFileName().toString()).contains("2");
                    assertThat(port.rule()).contains("0 to 65535");
                    assertThat(port.suggestion()).contains("7008");
                    assertThat(problem(e, "showcase.logging.level").suggestion()).isEqualTo("WARN");
                    assertThat(e.getMessage()).startsWith("the configuration has 3 mistakes:")
                            .contains("showcase.hbtp.port = 70000");
                });
    }

    @Test
    void limitsAreCheckedAgainstEachOther() {
        Properties props = new Properties();
        props.setProperty("showcase.hbtp.max-frame-length", "64KiB");
        props.setProperty("showcase.hbtp.max-fragments", "16");
        props.setProperty("showcase.hbtp.port", "9000");
        props.setProperty("showcase.http.port", "9000");
        assertThatThrownBy(() -> ShowcaseConfigLoader.load(null, Map.of(), props))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.problems()).extracting(ConfigProblem::path)
                            .containsExactlyInAnyOrder("showcase.hbtp.max-fragments", "showcase.hbtp.port");
                    assertThat(problem(e, "showcase.hbtp.max-fragments").rule())
                            .contains("16 x 65536").contains("16777216");
                    assertThat(problem(e, "showcase.hbtp.max-fragments").suggestion()).startsWith("256");
                    assertThat(problem(e, "showcase.hbtp.port").rule()).contains("differ from showcase.http.port");
                });
    }

    @Test
    void anUnknownSettingIsAMistakeWithTheNearestRealOneSuggested() throws Exception {
        Path file = write("showcase { hbtp.prot = 7008, loging.level = INFO }\n");
        assertThatThrownBy(() -> ShowcaseConfigLoader.load(file, Map.of(), new Properties()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(problem(e, "showcase.hbtp.prot").suggestion()).isEqualTo("showcase.hbtp.port");
                    assertThat(problem(e, "showcase.loging.level").suggestion()).isEqualTo("showcase.logging.level");
                });
    }

    @Test
    void secretsAreNeverEchoed() {
        Properties props = new Properties();
        props.setProperty("showcase.jwt-secret", "short-but-secret");
        props.setProperty("showcase.database", "postgresql://shop:hunter2@db/shop");
        assertThatThrownBy(() -> ShowcaseConfigLoader.load(null, Map.of(), props))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.getMessage()).doesNotContain("short-but-secret").doesNotContain("hunter2")
                            .contains("<16 bytes, not shown>").contains("shop:***@db");
                    assertThat(e.problems()).hasSize(2);
                });
    }

    @Test
    void wrongTypesPathsThatDoNotExistAndASectionGivenAsAValueAreReported() throws Exception {
        Path file = write("""
                showcase {
                  shutdown.grace = soon
                  http.max-content-length = lots
                  metrics.enabled = maybe
                  logging.file = "%s/no-such-dir/showcase.log"
                  topics = 5
                }
                """.formatted(dir));
        assertThatThrownBy(() -> ShowcaseConfigLoader.load(file, Map.of(), new Properties()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::path).containsExactlyInAnyOrder("showcase.shutdown.grace",
                                "showcase.http.max-content-length", "showcase.metrics.enabled",
                                "showcase.logging.file", "showcase.topics.deltas-per-snapshot"));
    }

    @Test
    void aFileThatIsMissingOrNotHoconIsReportedAlongWithTheOtherMistakes() throws Exception {
        Path broken = write("showcase { hbtp.port = \n");
        Properties props = new Properties();
        props.setProperty("showcase.workers", "-1");
        assertThatThrownBy(() -> ShowcaseConfigLoader.load(broken, Map.of(), props))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.problems()).extracting(ConfigProblem::path)
                            .containsExactlyInAnyOrder(ShowcaseConfigLoader.FILE_PROPERTY, "showcase.workers");
                    assertThat(problem(e, ShowcaseConfigLoader.FILE_PROPERTY).rule()).contains("not valid HOCON");
                });
        assertThatThrownBy(() -> ShowcaseConfigLoader.load(dir.resolve("absent.conf"), Map.of(), new Properties()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(
                        problem(e, ShowcaseConfigLoader.FILE_PROPERTY).rule()).contains("readable file"));
    }

    @Test
    void theExampleFileInTheRepositoryIsValid() throws Exception {
        Path example = Path.of("showcase.conf");
        assertThat(example).exists();
        assertThat(ShowcaseConfigLoader.load(example, Map.of(), new Properties()).hbtpPort())
                .isEqualTo(ShowcaseConfig.DEFAULT_HBTP_PORT);
    }

    private Path write(String text) throws Exception {
        return Files.writeString(Files.createTempFile(dir, "showcase", ".conf"), text, StandardCharsets.UTF_8);
    }

    private static ConfigProblem problem(InvalidConfigException e, String path) {
        return e.problems().stream().filter(p -> p.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem reported at " + path + ": " + e.getMessage()));
    }
}
