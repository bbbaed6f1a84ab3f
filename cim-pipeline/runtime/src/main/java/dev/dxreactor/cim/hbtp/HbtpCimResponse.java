package dev.dxreactor.cim.hbtp;

import dev.dxreactor.cim.CimResponse;
import io.netty.buffer.ByteBuf;

/**
 * An HBTP answer: a response body ({@link #status()} OK) or an error with its message, plus the metadata
 * sent with it.
 */
public interface HbtpCimResponse extends CimResponse {

    /** The response body; {@code null} for an error. */
    ByteBuf body();

    /** The error message; {@code null} for a response. */
    String message();
}
