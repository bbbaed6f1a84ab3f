package dev.dxreactor.hbtp;

import io.netty.handler.codec.DecoderException;

import java.io.Serial;

/**
 * A peer broke the protocol. The connection is closed with {@link #closeCode()} and {@link #reason()}
 * sent in a CLOSE frame; nothing else is affected.
 */
public final class HbtpProtocolException extends DecoderException implements HbtpError {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int closeCode;

    public HbtpProtocolException(int closeCode, String reason) {
        super(reason);
        this.closeCode = closeCode;
    }

    /** One of {@link HbtpCloseCode}. */
    public int closeCode() {
        return closeCode;
    }

    /** The category of the close code: {@link HbtpErrorCategory#ofCloseCode(int)}. */
    @Override
    public HbtpErrorCategory category() {
        return HbtpErrorCategory.ofCloseCode(closeCode);
    }

    /** Safe to send to the peer: it names what was wrong with its input, nothing internal. */
    public String reason() {
        return getMessage();
    }
}
