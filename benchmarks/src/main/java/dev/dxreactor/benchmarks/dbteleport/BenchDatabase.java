package dev.dxreactor.benchmarks.dbteleport;

import dev.dxreactor.dbteleport.RowEncoder;
import io.netty.buffer.ByteBuf;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Row;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The PostgreSQL server of a benchmark run: the one {@code DX_PG_URL} names (an R2DBC URL), else an embedded
 * server on loopback; with the benchmark's table, 8 categories of 20 rows each.
 */
final class BenchDatabase implements AutoCloseable {

    static final String TABLE = "dx_bench_items";
    static final String QUERY = "SELECT id, name, price_cents FROM " + TABLE + " WHERE category = $1 ORDER BY id";
    static final int CATEGORIES = 8;

    /** id (i32), name (u8 length and UTF-8), price (i64): the response body both sides produce. */
    static final RowEncoder ENCODER = new RowEncoder() {
        @Override
        public void encode(Row row, ByteBuf out) {
            out.writeIntLE(row.get(0, Integer.class));
            byte[] name = row.get(1, String.class).getBytes(StandardCharsets.UTF_8);
            out.writeByte(name.length).writeBytes(name);
            out.writeLongLE(row.get(2, Long.class));
        }
    };

    private final EmbeddedPostgres embedded;
    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;

    BenchDatabase() throws IOException, SQLException {
        String url = System.getenv("DX_PG_URL");
        if (url != null && !url.isBlank()) {
            ConnectionFactoryOptions o = ConnectionFactoryOptions.parse(url);
            embedded = null;
            host = (String) o.getRequiredValue(ConnectionFactoryOptions.HOST);
            Object p = o.getValue(ConnectionFactoryOptions.PORT);
            port = p == null ? 5432 : (Integer) p;
            database = (String) o.getRequiredValue(ConnectionFactoryOptions.DATABASE);
            user = (String) o.getRequiredValue(ConnectionFactoryOptions.USER);
            Object pw = o.getValue(ConnectionFactoryOptions.PASSWORD);
            password = pw == null ? null : pw.toString();
        } else {
            embedded = EmbeddedPostgres.builder().start();
            host = "127.0.0.1";
            port = embedded.getPort();
            database = "postgres";
            user = "postgres";
            password = null;
        }
        try (Connection c = jdbc(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
            s.execute("CREATE TABLE " + TABLE + " (id int PRIMARY KEY, category int NOT NULL, name text NOT NULL, "
                    + "price_cents bigint NOT NULL)");
            s.execute("CREATE INDEX ON " + TABLE + " (category)");
            s.execute("INSERT INTO " + TABLE + " SELECT g, g % " + CATEGORIES + ", 'item number ' || g, g * 100 "
                    + "FROM generate_series(1, " + (CATEGORIES * 20) + ") g");
            s.execute("ANALYZE " + TABLE);
        }
    }

    ConnectionFactory connectionFactory() {
        PostgresqlConnectionConfiguration.Builder b = PostgresqlConnectionConfiguration.builder()
                .host(host).port(port).database(database).username(user);
        if (password != null) {
            b.password(password);
        }
        return new PostgresqlConnectionFactory(b.build());
    }

    Connection jdbc() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, props);
    }

    String describe() {
        return embedded != null ? "embedded PostgreSQL on loopback" : "DX_PG_URL (" + host + ":" + port + ")";
    }

    @Override
    public void close() throws Exception {
        try (Connection c = jdbc(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
