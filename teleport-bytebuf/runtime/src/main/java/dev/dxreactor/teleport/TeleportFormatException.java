package dev.dxreactor.teleport;

/**
 * Bytes that are not a valid message of the expected type: wrong header, a reference outside the message,
 * a count larger than the bytes present, an unknown enum constant, or malformed UTF-8 when asked to check.
 * Thrown only by {@code wrap}; once a view is wrapped, its getters never throw.
 */
public final class TeleportFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TeleportFormatException(String message) {
        super(message);
    }
}
