package dev.dxreactor.examples.showcase.store;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The PostgreSQL server of one showcase instance: the one an R2DBC URL names, or an embedded one (zonky) started
 * here, with nothing to install. Either way it is described by a URL without password that a second instance
 * can be given to share it.
 */
public final class ShowcaseDatabase implements AutoCloseable {

    private final EmbeddedPostgres embedded;
    private final ConnectionFactory direct;
    private final ConnectionPool pool;
    private final String url;

    private ShowcaseDatabase(EmbeddedPostgres embedded, ConnectionFactory direct, String url) {
        this.embedded = embedded;
        this.direct = direct;
        this.url = url;
        this.pool = new ConnectionPool(ConnectionPoolConfiguration.builder(direct)
                .maxSize(8).initialSize(0).maxAcquireTime(Duration.ofSeconds(10)).build());
    }

    /**
     * Connects to {@code url} (an R2DBC URL such as {@code r2dbc:postgresql://user:secret@host:5432/db}), or
     * starts an embedded server when it is {@code null} or blank.
     */
    public static ShowcaseDatabase open(String url) {
        if (url != null && !url.isBlank()) {
            ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(url.trim());
            return new ShowcaseDatabase(null, ConnectionFactories.get(options), withoutPassword(options));
        }
        EmbeddedPostgres pg;
        try {
            // As root, zonky runs the server through `unshare -U` (PostgreSQL refuses to run as root). Its own
            // shutdown hook would stop the server while the showcase's hook still lets calls finish: close() does.
            pg = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL did not start; give a server with "
                    + "DX_PG_URL=r2dbc:postgresql://user:secret@host:5432/db instead", e);
        }
        String embeddedUrl = "r2dbc:postgresql://postgres@127.0.0.1:" + pg.getPort() + "/postgres";
        return new ShowcaseDatabase(pg, ConnectionFactories.get(embeddedUrl), embeddedUrl);
    }

    /** {@code url} as it can be printed: the password left out. */
    static String withoutPassword(ConnectionFactoryOptions options) {
        Object port = options.getValue(ConnectionFactoryOptions.PORT);
        Object user = options.getValue(ConnectionFactoryOptions.USER);
        Object database = options.getValue(ConnectionFactoryOptions.DATABASE);
        return "r2dbc:" + options.getValue(ConnectionFactoryOptions.DRIVER) + "://"
                + (user == null ? "" : user + "@") + options.getValue(ConnectionFactoryOptions.HOST)
                + (port == null ? "" : ":" + port) + (database == null ? "" : "/" + database);
    }

    /** Pooled connections for queries and writes, shared by everything in the instance. */
    public ConnectionPool pool() {
        return pool;
    }

    /** Direct connections, for {@code LISTEN}. */
    public ConnectionFactory direct() {
        return direct;
    }

    /** The URL without password; for an embedded server, what another instance's {@code DX_PG_URL} can be. */
    public String url() {
        return url;
    }

    /** Whether this instance started the server itself. */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Closes the pool and stops an embedded server (its data directory is temporary). */
    @Override
    public void close() {
        pool.close().block(Duration.ofSeconds(10));
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
