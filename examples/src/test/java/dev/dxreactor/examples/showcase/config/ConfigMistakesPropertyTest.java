package dev.dxreactor.examples.showcase.config;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Whatever k independent mistakes a configuration has, all k are reported, each at its own path, and nothing else
 * is. Mistakes of one group touch the same settings (a clash of ports, the limits checked against each other), so a
 * configuration takes at most one mistake per group; mistakes come in as file lines, environment variables or system
 * properties.
 */
class ConfigMistakesPropertyTest {

    /** One wrong setting: where it is reported, and the value that makes it wrong. */
    record Mistake(String group, String reportedAt, String setting, String value) {
    }

    private static final List<Mistake> MISTAKES = List.of(
            new Mistake("host", "showcase.host", "showcase.host", "\"not a host!\""),
            new Mistake("host", "showcase.host", "showcase.host", "\"-leading-dash\""),
            new Mistake("workers", "showcase.workers", "showcase.workers", "-1"),
            new Mistake("workers", "showcase.workers", "showcase.workers", "five"),
            new Mistake("database", "showcase.database", "showcase.database", "\"mysql://db/shop\""),
            new Mistake("secret", "showcase.jwt-secret", "showcase.jwt-secret", "\"too-short\""),
            new Mistake("ports", "showcase.hbtp.port", "showcase.hbtp.port", "65536"),
            new Mistake("ports", "showcase.http.port", "showcase.http.port", "-80"),
            new Mistake("ports", "showcase.hbtp.port", "showcase.hbtp.port", "8080"),
            new Mistake("limits", "showcase.hbtp.max-frame-length", "showcase.hbtp.max-frame-length", "10"),
            new Mistake("limits", "showcase.hbtp.max-message-length", "showcase.hbtp.max-message-length", "1KiB"),
            new Mistake("limits", "showcase.hbtp.max-fragments", "showcase.hbtp.max-fragments", "2"),
            new Mistake("limits", "showcase.hbtp.max-fragments", "showcase.hbtp.max-fragments", "0"),
            new Mistake("in-flight", "showcase.hbtp.max-in-flight", "showcase.hbtp.max-in-flight", "70000"),
            new Mistake("connections", "showcase.hbtp.max-connections", "showcase.hbtp.max-connections", "0"),
            new Mistake("idle", "showcase.hbtp.idle-timeout", "showcase.hbtp.idle-timeout", "0s"),
            new Mistake("idle", "showcase.hbtp.idle-timeout", "showcase.hbtp.idle-timeout", "forever"),
            new Mistake("slow", "showcase.hbtp.slow-call-threshold", "showcase.hbtp.slow-call-threshold", "-1s"),
            new Mistake("content", "showcase.http.max-content-length", "showcase.http.max-content-length", "1GiB"),
            new Mistake("rate", "showcase.rate-limit.per-second", "showcase.rate-limit.per-second", "0"),
            new Mistake("burst", "showcase.rate-limit.burst", "showcase.rate-limit.burst", "0"),
            new Mistake("deltas", "showcase.topics.deltas-per-snapshot", "showcase.topics.deltas-per-snapshot", "0"),
            new Mistake("grace", "showcase.shutdown.grace", "showcase.shutdown.grace", "1h"),
            new Mistake("level", "showcase.logging.level", "showcase.logging.level", "LOUD"),
            new Mistake("format", "showcase.logging.format", "showcase.logging.format", "xml"),
            new Mistake("file", "showcase.logging.file", "showcase.logging.file", "\"/no/such/dir/x.log\""),
            new Mistake("size", "showcase.logging.max-file-size", "showcase.logging.max-file-size", "10"),
            new Mistake("history", "showcase.logging.max-history", "showcase.logging.max-history", "0"),
            new Mistake("metrics", "showcase.metrics.enabled", "showcase.metrics.enabled", "maybe"),
            new Mistake("typo", "showcase.hbtp.prot", "showcase.hbtp.prot", "7008"),
            new Mistake("typo2", "showcase.shutdown.grase", "showcase.shutdown.grase", "5s"));

    enum Source { FILE, ENVIRONMENT, PROPERTY }

    @Property(tries = 200)
    void everyOneOfKIndependentMistakesIsReported(@ForAll("mistakes") List<Mistake> chosen,
                                                  @ForAll("sources") List<Source> sources) throws Exception {
        StringBuilder file = new StringBuilder();
        Map<String, String> env = new HashMap<>();
        Properties props = new Properties();
        for (int i = 0; i < chosen.size(); i++) {
            Mistake m = chosen.get(i);
            Source source = sources.get(i % sources.size());
            boolean known = !m.group().startsWith("typo");
            if (source == Source.ENVIRONMENT && known) {
                env.put(ShowcaseConfigLoader.variableName(m.setting()), unquoted(m.value()));
            } else if (source == Source.PROPERTY) {
                props.setProperty(m.setting(), unquoted(m.value()));
            } else {
                file.append(m.setting()).append(" = ").append(m.value()).append('\n');
            }
        }
        Path conf = Files.createTempFile("mistakes", ".conf");
        try {
            Files.writeString(conf, file);
            ShowcaseConfigLoader.load(conf, env, props);
            fail("no mistake reported for " + chosen);
        } catch (InvalidConfigException e) {
            Set<String> expected = new HashSet<>();
            chosen.forEach(m -> expected.add(m.reportedAt()));
            assertThat(e.problems()).as(e.getMessage()).extracting(ConfigProblem::path)
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        } finally {
            Files.delete(conf);
        }
    }

    @Provide
    Arbitrary<List<Mistake>> mistakes() {
        List<String> groups = MISTAKES.stream().map(Mistake::group).distinct().toList();
        return Arbitraries.of(groups).list().uniqueElements().ofMinSize(1).ofMaxSize(groups.size())
                .flatMap(chosenGroups -> {
                    List<Arbitrary<Mistake>> perGroup = new ArrayList<>();
                    for (String group : chosenGroups) {
                        perGroup.add(Arbitraries.of(MISTAKES.stream().filter(m -> m.group().equals(group)).toList()));
                    }
                    return Combinators.combine(perGroup).as(list -> list);
                });
    }

    @Provide
    Arbitrary<List<Source>> sources() {
        return Arbitraries.of(Source.class).list().ofMinSize(1).ofMaxSize(4);
    }

    private static String unquoted(String value) {
        return value.startsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }
}
