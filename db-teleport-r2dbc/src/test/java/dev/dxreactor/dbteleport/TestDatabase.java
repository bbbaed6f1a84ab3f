package dev.dxreactor.dbteleport;

import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server the tests use: the one {@code DX_PG_URL} names, else an embedded server started once
 * per test JVM. Never a mock.
 *
 * <p>{@code DX_PG_URL} is an R2DBC URL, e.g. {@code r2dbc:postgresql://user:secret@127.0.0.1:5432/test}.
 * Tests create tables with names of their own and drop nothing else.
 */
final class TestDatabase {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static volatile TestDatabase instance;

    final String host;
    final int port;
    final String database;
    final String user;
    final String password;

    private TestDatabase(String host, int port, String database, String user, String password) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    static TestDatabase get() {
        TestDatabase db = instance;
        if (db == null) {
            synchronized (TestDatabase.class) {
                db = instance;
                if (db == null) {
                    db = instance = start();
                }
            }
        }
        return db;
    }

    private static TestDatabase start() {
        String url = System.getenv("DX_PG_URL");
        if (url != null && !url.isBlank()) {
            ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(url);
            Object port = options.getValue(ConnectionFactoryOptions.PORT);
            Object password = options.getValue(ConnectionFactoryOptions.PASSWORD);
            return new TestDatabase((String) options.getRequiredValue(ConnectionFactoryOptions.HOST),
                    port == null ? 5432 : (Integer) port,
                    (String) options.getRequiredValue(ConnectionFactoryOptions.DATABASE),
                    (String) options.getRequiredValue(ConnectionFactoryOptions.USER),
                    password == null ? null : password.toString());
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // The JVM is exiting; the server's directory is temporary.
                }
            }));
            return new TestDatabase("127.0.0.1", pg.getPort(), "postgres", "postgres", null);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start (set DX_PG_URL to use a server)", e);
        }
    }

    /** A direct (unpooled) R2DBC factory. */
    ConnectionFactory connectionFactory() {
        PostgresqlConnectionConfiguration.Builder config = PostgresqlConnectionConfiguration.builder()
                .host(host).port(port).database(database).username(user);
        if (password != null) {
            config.password(password);
        }
        return new PostgresqlConnectionFactory(config.build());
    }

    /** A JDBC connection for test set-up and writes, in auto-commit. */
    Connection jdbc() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, props);
    }

    /** Runs {@code sql} statements in auto-commit. */
    void execute(String... sql) {
        try (Connection c = jdbc(); var statement = c.createStatement()) {
            for (String s : sql) {
                statement.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A name no other test uses in this JVM (tables, channels). */
    static String unique(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + NAMES.incrementAndGet();
    }
}
