package dev.dxreactor.examples.showcase.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.dxreactor.examples.showcase.ShowcaseConfig;
import dev.dxreactor.hbtp.HbtpHeader;
import dev.dxreactor.hbtp.HbtpHello;
import io.netty.util.NetUtil;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Reads the showcase's configuration from four layers, each overriding the one before: the defaults
 * ({@code defaults.conf} beside this class, which lists every setting), a HOCON file, environment variables and
 * {@code -Dshowcase.*} system properties. Then checks it as a whole and reports every mistake at once.
 *
 * <pre>{@code
 * ShowcaseConfig config = ShowcaseConfigLoader.load(Path.of("showcase.conf"), System.getenv(), System.getProperties());
 * }</pre>
 */
public final class ShowcaseConfigLoader {

    /** The root of every setting. */
    public static final String ROOT = "showcase";
    /** The system property and environment variable that name the configuration file. */
    public static final String FILE_PROPERTY = "showcase.config";
    public static final String FILE_VARIABLE = "SHOWCASE_CONFIG";

    private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
    private static final List<String> FORMATS = List.of("JSON", "TEXT");
    private static final Pattern HOST_NAME =
            Pattern.compile("(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern DATABASE_URL = Pattern.compile("r2dbc:(pool:)?postgres(ql)?://[^/?#]+(/[^?#]*)?(\\?.*)?");
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@]*:)[^@]*@");
    private static final long KIB = 1024;
    private static final long MIB = KIB * 1024;
    private static final long GIB = MIB * 1024;

    private ShowcaseConfigLoader() {
    }

    /**
     * Loads and checks the configuration.
     *
     * @param file  a HOCON file, or {@code null} for the one {@code -Dshowcase.config} or {@code SHOWCASE_CONFIG}
     *              names (none when neither does)
     * @param env   the environment ({@code SHOWCASE_HBTP_PORT} overrides {@code showcase.hbtp.port}, {@code DX_PG_URL}
     *              is the database unless another layer sets one)
     * @param props system properties ({@code showcase.hbtp.port=7009}); blank values are ignored
     * @throws InvalidConfigException listing every mistake found
     */
    public static ShowcaseConfig load(Path file, Map<String, String> env, Properties props)
            throws InvalidConfigException {
        Config defaults = ConfigFactory.parseResources(ShowcaseConfigLoader.class, "defaults.conf",
                ConfigParseOptions.defaults().setAllowMissing(false));
        List<ConfigProblem> early = new ArrayList<>();
        Config merged = systemProperties(props, early)
                .withFallback(environment(env, defaults))
                .withFallback(file(file, env, props, early))
                .withFallback(pgUrl(env))
                .withFallback(defaults);
        try {
            merged = merged.resolve();
        } catch (ConfigException e) {
            early.add(new ConfigProblem(FILE_PROPERTY, null, null, "cannot be resolved: " + e.getMessage(),
                    "remove the ${...} substitution or define what it names"));
            merged = defaults;
        }
        ConfigReader reader = new ConfigReader(merged, defaults);
        reader.problems().addAll(early);
        if (!merged.hasPath(ROOT) || !(merged.getValue(ROOT) instanceof com.typesafe.config.ConfigObject)) {
            reader.problem(ROOT, "must be a section of settings", "showcase { hbtp.port = 7008 }");
            throw new InvalidConfigException(reader.problems());
        }
        ShowcaseConfig config = read(reader);
        if (!reader.problems().isEmpty()) {
            throw new InvalidConfigException(reader.problems());
        }
        return config;
    }

    private static ShowcaseConfig read(ConfigReader r) {
        String host = host(r);
        int workers = r.intIn("showcase.workers", 0, 1024, "0 (one event loop per core)");
        String database = database(r);
        byte[] secret = secret(r);

        int hbtpPort = r.intIn("showcase.hbtp.port", 0, 65535, "7008, or 0 for any free port");
        int httpPort = r.intIn("showcase.http.port", 0, 65535, "8080, or 0 for any free port");
        if (r.ok("showcase.hbtp.port") && r.ok("showcase.http.port") && hbtpPort != 0 && hbtpPort == httpPort) {
            r.problem("showcase.hbtp.port", "must differ from showcase.http.port (" + httpPort + ")",
                    hbtpPort == 7008 ? "7009" : "7008");
        }
        ShowcaseConfig.HbtpLimits limits = hbtpLimits(r);
        int maxContent = (int) r.bytesIn("showcase.http.max-content-length", KIB, 64 * MIB, "64KiB");
        double rate = r.positiveDouble("showcase.rate-limit.per-second", "100");
        int burst = r.intIn("showcase.rate-limit.burst", 1, 1_000_000, "200 (twice the rate)");
        int deltas = r.intIn("showcase.topics.deltas-per-snapshot", 1, 1_000_000, "256");
        Duration grace = r.duration("showcase.shutdown.grace", false, Duration.ofMinutes(10), "10s");
        ShowcaseConfig.Logging logging = logging(r);
        boolean metrics = r.bool("showcase.metrics.enabled");
        r.unknownSettings(ROOT);
        return new ShowcaseConfig(host, hbtpPort, httpPort, database, secret, rate, burst, workers, deltas, limits,
                maxContent, grace, logging, metrics);
    }

    private static String host(ConfigReader r) {
        String host = r.string("showcase.host");
        if (host != null && (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)
                || HOST_NAME.matcher(host).matches())) {
            return host;
        }
        if (r.ok("showcase.host")) {
            r.problem("showcase.host", "must be an IP address or a host name",
                    "127.0.0.1 (this machine only) or 0.0.0.0 (every interface)");
        }
        return "127.0.0.1";
    }

    private static String database(ConfigReader r) {
        String url = r.string("showcase.database");
        if (url == null || url.isBlank()) {
            return null;
        }
        if (!DATABASE_URL.matcher(url).matches()) {
            r.problem("showcase.database", "must be an R2DBC URL of PostgreSQL",
                    "r2dbc:postgresql://user:password@host:5432/database, or null for an embedded PostgreSQL",
                    ShowcaseConfigLoader::hidePassword);
            return null;
        }
        return url;
    }

    private static byte[] secret(ConfigReader r) {
        String secret = r.string("showcase.jwt-secret");
        if (secret == null) {
            return null;
        }
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < 32) {
            r.problem("showcase.jwt-secret", "must be at least 32 bytes (an HS256 key)",
                    "32 random bytes, e.g. the output of `openssl rand -base64 32`",
                    given -> "<" + key.length + " bytes, not shown>");
            return null;
        }
        return key;
    }

    private static ShowcaseConfig.HbtpLimits hbtpLimits(ConfigReader r) {
        int maxLength = Integer.MAX_VALUE - HbtpHeader.SIZE;
        int frame = (int) r.bytesIn("showcase.hbtp.max-frame-length", HbtpHello.MIN_FRAME_LENGTH, maxLength, "1MiB");
        int message = (int) r.bytesIn("showcase.hbtp.max-message-length", HbtpHello.MIN_FRAME_LENGTH, maxLength,
                "16MiB");
        int fragments = r.intIn("showcase.hbtp.max-fragments", 1, Integer.MAX_VALUE, "1024");
        if (r.ok("showcase.hbtp.max-frame-length") && r.ok("showcase.hbtp.max-message-length") && message < frame) {
            r.problem("showcase.hbtp.max-message-length", "must be at least showcase.hbtp.max-frame-length ("
                    + frame + ")", frame + " or more");
        } else if (r.ok("showcase.hbtp.max-frame-length") && r.ok("showcase.hbtp.max-message-length")
                && r.ok("showcase.hbtp.max-fragments") && (long) fragments * frame < message) {
            long needed = (message + (long) frame - 1) / frame;
            r.problem("showcase.hbtp.max-fragments", "max-fragments x max-frame-length (" + fragments + " x " + frame
                    + ") must reach max-message-length (" + message + "), or the largest message cannot arrive",
                    needed + ", or a smaller max-message-length");
        }
        int inFlight = r.intIn("showcase.hbtp.max-in-flight", 1, HbtpHeader.MAX_SEQUENCE, "1024");
        int connections = r.intIn("showcase.hbtp.max-connections", 1, 10_000_000, "10000");
        Duration idle = r.duration("showcase.hbtp.idle-timeout", false, Duration.ofHours(24), "30s");
        Duration slow = r.duration("showcase.hbtp.slow-call-threshold", true, Duration.ofHours(1), "1s");
        return new ShowcaseConfig.HbtpLimits(frame, message, fragments, inFlight, connections, idle, slow);
    }

    private static ShowcaseConfig.Logging logging(ConfigReader r) {
        String level = r.choice("showcase.logging.level", LEVELS);
        boolean json = r.choice("showcase.logging.format", FORMATS).equals("JSON");
        Path file = logFile(r);
        long maxSize = r.bytesIn("showcase.logging.max-file-size", KIB, 100 * GIB, "100MiB");
        int history = r.intIn("showcase.logging.max-history", 1, 1000, "5");
        return new ShowcaseConfig.Logging(level, json, file, maxSize, history);
    }

    private static Path logFile(ConfigReader r) {
        String text = r.string("showcase.logging.file");
        if (text == null || text.isBlank()) {
            return null;
        }
        Path file;
        try {
            file = Path.of(text).toAbsolutePath();
        } catch (RuntimeException e) {
            r.problem("showcase.logging.file", "must be a file path", "logs/showcase.log");
            return null;
        }
        Path dir = file.getParent();
        if (Files.isDirectory(file)) {
            r.problem("showcase.logging.file", "is a directory; it must name a file", file.resolve("showcase.log")
                    .toString());
        } else if (dir == null || !Files.isDirectory(dir)) {
            r.problem("showcase.logging.file", "must be in a directory that exists (" + dir + " does not)",
                    "create the directory first, or log to standard output with null");
        } else if (!Files.isWritable(dir)) {
            r.problem("showcase.logging.file", "must be in a directory this process may write to (" + dir + ")",
                    "a directory owned by the user that runs the showcase");
        } else {
            return file;
        }
        return null;
    }

    private static Config systemProperties(Properties props, List<ConfigProblem> problems) {
        Map<String, String> settings = new HashMap<>();
        for (String name : props.stringPropertyNames()) {
            String value = props.getProperty(name);
            if (name.startsWith(ROOT + ".") && !name.equals(FILE_PROPERTY) && value != null && !value.isBlank()) {
                settings.put(name, value.trim());
            }
        }
        try {
            return ConfigFactory.parseMap(settings, "system property");
        } catch (ConfigException e) {
            problems.add(new ConfigProblem(ROOT, null, "system properties", "cannot be read: " + e.getMessage(),
                    "set either a section or the settings in it, not both"));
            return ConfigFactory.empty();
        }
    }

    /** {@code SHOWCASE_HBTP_MAX_FRAME_LENGTH} for {@code showcase.hbtp.max-frame-length}: only known settings map. */
    private static Config environment(Map<String, String> env, Config defaults) {
        Config overrides = ConfigFactory.empty();
        for (String path : ConfigReader.leafPaths(defaults.getObject(ROOT), ROOT)) {
            String name = variableName(path);
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                overrides = overrides.withValue(path,
                        ConfigValueFactory.fromAnyRef(value.trim(), "environment variable " + name));
            }
        }
        return overrides;
    }

    /** The environment variable that overrides {@code path}. */
    public static String variableName(String path) {
        return path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Config pgUrl(Map<String, String> env) {
        String url = env.get("DX_PG_URL");
        return url == null || url.isBlank() ? ConfigFactory.empty() : ConfigFactory.empty().withValue(
                "showcase.database", ConfigValueFactory.fromAnyRef(url.trim(), "environment variable DX_PG_URL"));
    }

    private static Config file(Path given, Map<String, String> env, Properties props, List<ConfigProblem> problems) {
        String named = given != null ? given.toString() : props.getProperty(FILE_PROPERTY);
        String origin = given != null ? "command line" : "system property " + FILE_PROPERTY;
        if (named == null || named.isBlank()) {
            named = env.get(FILE_VARIABLE);
            origin = "environment variable " + FILE_VARIABLE;
        }
        if (named == null || named.isBlank()) {
            return ConfigFactory.empty();
        }
        Path path = Path.of(named.trim());
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            problems.add(new ConfigProblem(FILE_PROPERTY, '"' + named + '"', origin,
                    "must name a readable file (" + path.toAbsolutePath() + " is not one)",
                    "the path of a HOCON file such as examples/showcase.conf"));
            return ConfigFactory.empty();
        }
        try {
            return ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            problems.add(new ConfigProblem(FILE_PROPERTY, '"' + named + '"', origin,
                    "is not valid HOCON: " + e.getMessage(), "fix the syntax at the line given"));
            return ConfigFactory.empty();
        }
    }

    private static String hidePassword(String url) {
        return URL_PASSWORD.matcher(url).replaceFirst("$1***@");
    }
}
