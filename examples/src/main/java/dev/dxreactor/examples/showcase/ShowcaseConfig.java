package dev.dxreactor.examples.showcase;

import dev.dxreactor.hbtp.HbtpTopics;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * Settings of one showcase instance, from system properties ({@code -Dshowcase.*}); an empty value means the
 * default, so that build tools can pass every property through.
 *
 * @param host          the address both servers bind to; {@code 127.0.0.1} by default (the token is printed)
 * @param hbtpPort      7008 by default; 0 takes any free port
 * @param httpPort      8080 by default; 0 takes any free port
 * @param databaseUrl   an R2DBC URL ({@code showcase.database}, else the environment's {@code DX_PG_URL}), or
 *                      {@code null} for an embedded PostgreSQL
 * @param jwtSecret     the HMAC key of the tokens (at least 32 bytes), or {@code null}: a key shared through the
 *                      database
 * @param ratePerSecond requests per second per client address and event loop
 * @param burst         requests a client address may make at once
 * @param workers       event loop threads; 0 for one per core
 * @param deltasPerSnapshot deltas a category topic takes after a snapshot; the write after them publishes a new
 *                      snapshot first
 */
public record ShowcaseConfig(String host, int hbtpPort, int httpPort, String databaseUrl, byte[] jwtSecret,
                             double ratePerSecond, int burst, int workers, int deltasPerSnapshot) {

    public static final int DEFAULT_HBTP_PORT = 7008;
    public static final int DEFAULT_HTTP_PORT = 8080;

    /** The settings of {@code -Dshowcase.*} and {@code DX_PG_URL}. */
    public static ShowcaseConfig fromSystem() {
        return from(System.getProperties(), System.getenv());
    }

    static ShowcaseConfig from(Properties props, Map<String, String> env) {
        String database = value(props, "showcase.database", null);
        if (database == null) {
            String fromEnv = env.get("DX_PG_URL");
            database = fromEnv == null || fromEnv.isBlank() ? null : fromEnv.trim();
        }
        String secret = value(props, "showcase.jwtSecret", null);
        if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("showcase.jwtSecret must be at least 32 bytes (HS256)");
        }
        return new ShowcaseConfig(value(props, "showcase.host", "127.0.0.1"),
                port(props, "showcase.hbtpPort", DEFAULT_HBTP_PORT),
                port(props, "showcase.httpPort", DEFAULT_HTTP_PORT),
                database,
                secret == null ? null : secret.getBytes(StandardCharsets.UTF_8),
                Double.parseDouble(value(props, "showcase.ratePerSecond", "100")),
                Integer.parseInt(value(props, "showcase.burst", "200")),
                Integer.parseInt(value(props, "showcase.workers", "0")),
                Integer.parseInt(value(props, "showcase.deltasPerSnapshot",
                        String.valueOf(HbtpTopics.DEFAULT_MAX_DELTAS_PER_SNAPSHOT))));
    }

    /** The same settings on other ports. */
    public ShowcaseConfig withPorts(int hbtp, int http) {
        return new ShowcaseConfig(host, hbtp, http, databaseUrl, jwtSecret, ratePerSecond, burst, workers,
                deltasPerSnapshot);
    }

    /** The same settings on another database. */
    public ShowcaseConfig withDatabase(String url) {
        return new ShowcaseConfig(host, hbtpPort, httpPort, url, jwtSecret, ratePerSecond, burst, workers,
                deltasPerSnapshot);
    }

    private static String value(Properties props, String name, String otherwise) {
        String v = props.getProperty(name);
        return v == null || v.isBlank() ? otherwise : v.trim();
    }

    private static int port(Properties props, String name, int otherwise) {
        String text = value(props, name, null);
        if (text == null) {
            return otherwise;
        }
        try {
            int port = Integer.parseInt(text);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port from 0 to 65535 (0: any free port), got '"
                    + text + "'");
        }
    }
}
