package dev.dxreactor.cim.processor;

import com.palantir.javapoet.ClassName;

/** The runtime types generated handlers use; named here so the processor needs no runtime on its class path. */
final class Names {

    static final String CIM = "dev.dxreactor.cim";
    static final String MIDDLEWARE_CHAIN = CIM + ".MiddlewareChain";
    static final String MIDDLEWARE = CIM + ".Middleware";
    static final String ALWAYS_AFTER = CIM + ".AlwaysAfter";

    static final ClassName CIM_CONFIG = ClassName.get(CIM, "CimConfig");
    static final ClassName ORIGIN_POLICY = ClassName.get(CIM, "OriginPolicy");
    static final ClassName CIM_REQUEST = ClassName.get(CIM, "CimRequest");
    static final ClassName CIM_RESPONSE = ClassName.get(CIM, "CimResponse");
    static final ClassName MIDDLEWARE_CONTEXT = ClassName.get(CIM, "MiddlewareContext");
    static final ClassName HOOK_FAILURES = ClassName.get(CIM, "HookFailures");
    static final ClassName HTTP_APPLICATION = ClassName.get(CIM, "HttpApplication");
    static final ClassName HTTP_EXCHANGE = ClassName.get(CIM + ".http", "HttpExchange");
    static final ClassName HTTP_RESPONSE = ClassName.get(CIM + ".http", "HttpCimResponse");
    static final ClassName HBTP_EXCHANGE = ClassName.get(CIM + ".hbtp", "HbtpExchange");
    static final ClassName HBTP_RESPONSE = ClassName.get(CIM + ".hbtp", "HbtpCimResponse");
    static final ClassName AUTH_MIDDLEWARE = ClassName.get(CIM + ".middleware", "AuthMiddleware");
    static final ClassName CORS_MIDDLEWARE = ClassName.get(CIM + ".middleware", "CorsMiddleware");

    static final ClassName HBTP_ASYNC_HANDLER = ClassName.get("dev.dxreactor.hbtp", "HbtpAsyncHandler");
    static final ClassName HBTP_CALL = ClassName.get("dev.dxreactor.hbtp", "HbtpCall");
    static final ClassName BYTE_BUF = ClassName.get("io.netty.buffer", "ByteBuf");
    static final ClassName CHANNEL_HANDLER = ClassName.get("io.netty.channel", "ChannelHandler");
    static final ClassName CHANNEL_HANDLER_CONTEXT = ClassName.get("io.netty.channel", "ChannelHandlerContext");
    static final ClassName INBOUND_ADAPTER = ClassName.get("io.netty.channel", "ChannelInboundHandlerAdapter");
    static final ClassName FULL_HTTP_REQUEST = ClassName.get("io.netty.handler.codec.http", "FullHttpRequest");
    static final ClassName FULL_HTTP_RESPONSE = ClassName.get("io.netty.handler.codec.http", "FullHttpResponse");
    static final ClassName COMPLETION_STAGE = ClassName.get("java.util.concurrent", "CompletionStage");
    static final ClassName COMPLETABLE_FUTURE = ClassName.get("java.util.concurrent", "CompletableFuture");
    static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

    private Names() {
    }
}
