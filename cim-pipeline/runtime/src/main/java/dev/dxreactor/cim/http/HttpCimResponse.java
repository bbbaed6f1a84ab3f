package dev.dxreactor.cim.http;

import dev.dxreactor.cim.CimResponse;
import io.netty.handler.codec.http.FullHttpResponse;

/** An HTTP/1.1 response, for middleware that needs Netty's response object. */
public interface HttpCimResponse extends CimResponse {

    FullHttpResponse http();
}
