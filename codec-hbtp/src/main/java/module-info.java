/**
 * HBTP/1 for Netty: {@link dev.dxreactor.hbtp.HbtpFrameCodec}, {@link dev.dxreactor.hbtp.HbtpServerInitializer}
 * and {@link dev.dxreactor.hbtp.HbtpClient}.
 */
module dev.dxreactor.hbtp {
    requires transitive io.netty.codec;
    requires transitive io.netty.transport;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires io.netty.handler;
    requires io.netty.codec.http;
    requires org.slf4j;
    requires com.github.luben.zstd_jni;
    // Optional: only a config given a MeterRegistry loads Micrometer (ServerMetrics, ClientMetrics).
    requires static micrometer.core;

    exports dev.dxreactor.hbtp;
}
