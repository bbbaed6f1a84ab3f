package dev.dxreactor.examples.showcase;

import dev.dxreactor.examples.showcase.config.InvalidConfigException;
import dev.dxreactor.examples.showcase.config.ShowcaseConfigLoader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * Settings of one showcase instance, checked as a whole: read by {@link ShowcaseConfigLoader} from the defaults,
 * a configuration file, environment variables and {@code -Dshowcase.*} system properties (the file
 * {@code config/defaults.conf} beside this class lists every setting with its meaning).
 *
 * @param host              the address both servers bind to
 * @param hbtpPort          the HBTP port; 0 takes any free port
 * @param httpPort          the HTTP port (JSON API, {@code /metrics}, {@code /health}); 0 takes any free port
 * @param databaseUrl       an R2DBC URL, or {@code null} for an embedded PostgreSQL
 * @param jwtSecret         the HMAC key of the tokens (at least 32 bytes), or {@code null}: a key shared through
 *                          the database
 * @param ratePerSecond     requests per second per client address and event loop
 * @param burst             requests a client address may make at once
 * @param workers           event loop threads; 0 for one per core
 * @param deltasPerSnapshot deltas a category topic takes after a snapshot
 * @param hbtp              the HBTP server's limits
 * @param httpMaxContentLength the largest HTTP request body
 * @param shutdownGrace     how long running calls may take to finish at shutdown
 * @param logging           where and what to log
 * @param metrics           whether meters are kept and served at {@code /metrics}
 */
public record ShowcaseConfig(String host, int hbtpPort, int httpPort, String databaseUrl, byte[] jwtSecret,
                             double ratePerSecond, int burst, int workers, int deltasPerSnapshot, HbtpLimits hbtp,
                             int httpMaxContentLength, Duration shutdownGrace, Logging logging, boolean metrics) {

    public static final int DEFAULT_HBTP_PORT = 7008;
    public static final int DEFAULT_HTTP_PORT = 8080;

    /**
     * The HBTP server's limits, as {@code HbtpServerConfig.Builder} takes them.
     *
     * @param slowCallThreshold calls slower than this log a WARN; zero: off
     */
    public record HbtpLimits(int maxFrameLength, int maxMessageLength, int maxFragments, int maxInFlight,
                             int maxConnections, Duration idleTimeout, Duration slowCallThreshold) {
    }

    /**
     * Logging settings.
     *
     * @param level       the root level (TRACE, DEBUG, INFO, WARN, ERROR, OFF)
     * @param json        one JSON object per line, else one readable line per event
     * @param file        a file to log to as well, rotated by size; {@code null}: standard output only
     * @param maxFileSize the size at which the file is rotated
     * @param maxHistory  rotated files kept
     */
    public record Logging(String level, boolean json, Path file, long maxFileSize, int maxHistory) {
    }

    /** The settings of this JVM: {@code -Dshowcase.config} or {@code SHOWCASE_CONFIG}, the environment, {@code -D}. */
    public static ShowcaseConfig fromSystem() throws InvalidConfigException {
        return ShowcaseConfigLoader.load(null, System.getenv(), System.getProperties());
    }

    /** The settings of {@code props} and {@code env} alone (no file unless they name one). */
    public static ShowcaseConfig from(Properties props, Map<String, String> env) throws InvalidConfigException {
        return ShowcaseConfigLoader.load(null, env, props);
    }

    /** The same settings on other ports. */
    public ShowcaseConfig withPorts(int hbtp, int http) {
        return new ShowcaseConfig(host, hbtp, http, databaseUrl, jwtSecret, ratePerSecond, burst, workers,
                deltasPerSnapshot, this.hbtp, httpMaxContentLength, shutdownGrace, logging, metrics);
    }

    /** The same settings on another database. */
    public ShowcaseConfig withDatabase(String url) {
        return new ShowcaseConfig(host, hbtpPort, httpPort, url, jwtSecret, ratePerSecond, burst, workers,
                deltasPerSnapshot, hbtp, httpMaxContentLength, shutdownGrace, logging, metrics);
    }
}
