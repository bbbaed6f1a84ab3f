package dev.dxreactor.examples.showcase.store;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * The development JWT key, when none is configured: 32 random bytes that the first instance on a database writes
 * to {@code showcase_settings} and every later one reads, so a token printed by one instance of a fleet is
 * accepted by all. For development only: whoever can read the database can sign tokens.
 */
public final class SharedSecret {

    private SharedSecret() {
    }

    /** The key stored in the database, created now if there is none. */
    public static byte[] load(ConnectionFactory pool) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        return Mono.usingWhen(Mono.from(pool.create()),
                c -> Mono.from(c.beginTransaction())
                        .then(execute(c, "SELECT pg_advisory_xact_lock(6813400002)"))
                        .then(execute(c, "CREATE TABLE IF NOT EXISTS showcase_settings (name text PRIMARY KEY,"
                                + " value bytea NOT NULL)"))
                        .then(Flux.from(c.createStatement("INSERT INTO showcase_settings VALUES ('jwt_hmac_key', $1)"
                                        + " ON CONFLICT (name) DO NOTHING").bind(0, ByteBuffer.wrap(fresh)).execute())
                                .concatMap(r -> r.getRowsUpdated()).then())
                        .then(Flux.from(c.createStatement("SELECT value FROM showcase_settings WHERE name = 'jwt_hmac_key'")
                                .execute()).concatMap(r -> r.map((row, meta) -> row.get(0, ByteBuffer.class))).single())
                        .flatMap(value -> Mono.from(c.commitTransaction()).thenReturn(bytes(value))),
                Connection::close,
                (c, error) -> Mono.from(c.rollbackTransaction()).onErrorComplete().then(Mono.from(c.close())),
                Connection::close).block(java.time.Duration.ofSeconds(30));
    }

    private static byte[] bytes(ByteBuffer value) {
        byte[] bytes = new byte[value.remaining()];
        value.get(bytes);
        return bytes;
    }

    private static Mono<Long> execute(Connection c, String sql) {
        return Flux.from(c.createStatement(sql).execute()).concatMap(r -> r.getRowsUpdated()).reduce(0L, Long::sum);
    }
}
