/**
 * DB teleport: a PostgreSQL query-result cache of pre-serialized responses, kept coherent by
 * {@code LISTEN/NOTIFY} over R2DBC. See {@link dev.dxreactor.dbteleport.DbTeleport}.
 */
module dev.dxreactor.dbteleport {
    requires transitive dev.dxreactor.hbtp;
    requires transitive io.netty.buffer;
    requires transitive r2dbc.spi;
    requires transitive micrometer.core;
    requires r2dbc.postgresql;
    requires r2dbc.pool;
    requires reactor.core;
    requires org.reactivestreams;
    requires com.github.benmanes.caffeine;
    requires org.slf4j;

    exports dev.dxreactor.dbteleport;
}
