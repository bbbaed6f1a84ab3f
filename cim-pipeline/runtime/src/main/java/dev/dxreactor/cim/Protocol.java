package dev.dxreactor.cim;

/** The protocol a request arrived on. */
public enum Protocol {
    /** HTTP/1.1 through Netty's {@code FullHttpRequest}/{@code FullHttpResponse}. */
    HTTP,
    /** An HBTP {@code RPC_CALL}. */
    HBTP
}
