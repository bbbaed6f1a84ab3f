package dev.dxreactor.dbteleport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;

/** Runs a registered query on a pooled connection and encodes its rows into one exact-size byte array. */
final class QueryRunner {

    private final ConnectionFactory pool;

    QueryRunner(ConnectionFactory pool) {
        this.pool = pool;
    }

    /** The encoded rows of {@code query} with {@code params} (already checked). */
    Mono<byte[]> run(RegisteredQuery query, List<?> params) {
        return Mono.usingWhen(pool.create(), connection -> execute(connection, query, params), Connection::close);
    }

    private static Mono<byte[]> execute(Connection connection, RegisteredQuery query, List<?> params) {
        Statement statement = connection.createStatement(query.sql());
        for (int i = 0; i < params.size(); i++) {
            statement.bind(i, params.get(i));
        }
        RowEncoder encoder = query.encoder();
        return Mono.defer(() -> {
            // Heap memory: the result becomes a byte array the garbage collector owns, so a failed or
            // cancelled query leaves nothing to release.
            ByteBuf out = Unpooled.buffer(256);
            encoder.start(out);
            return Flux.from(statement.execute())
                    .concatMap(result -> result.map((row, metadata) -> {
                        encoder.encode(row, out);
                        return 1;
                    }))
                    .count()
                    .map(rows -> {
                        encoder.finish(out, Math.toIntExact(rows));
                        return ByteBufUtil.getBytes(out);
                    });
        });
    }
}
