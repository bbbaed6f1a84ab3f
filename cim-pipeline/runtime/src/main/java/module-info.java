/**
 * Compile-time fused middleware for Netty: the {@link dev.dxreactor.cim.Middleware} API, the
 * {@link dev.dxreactor.cim.MiddlewareChain} annotation the processor turns into one handler, the HTTP/1.1 and
 * HBTP adapters the generated handlers call, and the built-in middleware.
 */
module dev.dxreactor.cim {
    requires transitive io.netty.codec.http;
    requires transitive dev.dxreactor.hbtp;
    requires transitive com.nimbusds.jose.jwt;
    requires org.slf4j;
    // Optional: only a CimConfig given a MeterRegistry loads it (RejectionCounters).
    requires static micrometer.core;

    exports dev.dxreactor.cim;
    exports dev.dxreactor.cim.http;
    exports dev.dxreactor.cim.hbtp;
    exports dev.dxreactor.cim.middleware;
}
