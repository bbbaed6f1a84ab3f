package dev.dxreactor.cim.http;

import dev.dxreactor.cim.CimRequest;
import dev.dxreactor.cim.CimStatus;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/** An HTTP/1.1 request, for middleware that needs Netty's request object. */
public interface HttpCimRequest extends CimRequest {

    /** The request; owned by the chain's handler, valid until the response is sent. */
    FullHttpRequest http();

    /** The handler context of the chain's handler. */
    ChannelHandlerContext channelContext();

    @Override
    HttpCimResponse reply(CimStatus status, String message);
}
