package dev.dxreactor.cim;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

import java.util.concurrent.CompletionStage;

/**
 * The application behind an HTTP chain. Runs on the event loop and must not block; complete the stage
 * from any thread. The request belongs to the handler (released after the response is written); the
 * response's content is written and released by the handler.
 */
@FunctionalInterface
public interface HttpApplication {

    CompletionStage<FullHttpResponse> handle(MiddlewareContext context, FullHttpRequest request) throws Exception;
}
