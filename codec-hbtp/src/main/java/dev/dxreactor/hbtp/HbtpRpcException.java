package dev.dxreactor.hbtp;

import java.io.Serial;

/**
 * An RPC answered with RPC_ERROR: thrown by handlers to choose the status, and what a client's call future
 * fails with when the server answers with an error.
 */
public class HbtpRpcException extends RuntimeException implements HbtpError {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int status;
    /** Not serialized: metadata belongs to one exchange on one connection. */
    private final transient HbtpMetadata metadata;

    /**
     * @param status  one of {@link HbtpStatus}, not {@code OK}
     * @param message sent to the peer: keep internals out of it
     */
    public HbtpRpcException(int status, String message) {
        this(status, message, HbtpMetadata.empty());
    }

    /**
     * An error as a client receives it, with the metadata block the server sent along (on the server, set
     * response metadata with {@link HbtpCall#responseMetadata(HbtpMetadata)} instead).
     */
    public HbtpRpcException(int status, String message, HbtpMetadata metadata) {
        super(message);
        if (status == HbtpStatus.OK || status < 0 || status > 0xFFFF) {
            throw new IllegalArgumentException("status " + status + " cannot be sent in RPC_ERROR");
        }
        this.status = status;
        this.metadata = metadata;
    }

    public int status() {
        return status;
    }

    /** The category of the status: {@link HbtpErrorCategory#ofStatus(int)}. */
    @Override
    public HbtpErrorCategory category() {
        return HbtpErrorCategory.ofStatus(status);
    }

    /** The metadata the server sent with this error; empty when none (or after deserialization). */
    public HbtpMetadata metadata() {
        return metadata == null ? HbtpMetadata.empty() : metadata;
    }

    @Override
    public String toString() {
        return "HbtpRpcException(" + HbtpStatus.name(status) + ": " + getMessage() + ")";
    }
}
