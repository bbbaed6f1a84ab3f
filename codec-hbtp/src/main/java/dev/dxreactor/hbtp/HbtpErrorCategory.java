package dev.dxreactor.hbtp;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What kind of failure an HBTP error is, so that a caller can decide what to do about it without parsing
 * messages: try again, fix the request, or give up. Every exception the client hands out carries one
 * ({@link HbtpError#category()}); {@link #of(Throwable)} classifies any throwable.
 */
public enum HbtpErrorCategory {

    /** The connection could not be made or was lost; a call in flight then may or may not have run. */
    NETWORK(true),
    /** No answer in time: the call timeout passed, or the server answered {@code DEADLINE_EXCEEDED}. */
    TIMEOUT(true),
    /** The peer broke the protocol (close codes 1002, 1003), or a handshake could not agree. */
    PROTOCOL(false),
    /** Authentication, authorization or decryption failed (close code 1008, {@code UNAUTHENTICATED}). */
    SECURITY(false),
    /** A limit was hit: too many calls in flight, {@code RESOURCE_EXHAUSTED}, a message too large (1009). */
    RESOURCE(true),
    /** The handler's own answer: bad request, unknown route, internal error, cancelled. */
    APPLICATION(false),
    /**
     * Not connected now, or the server is shutting down ({@code UNAVAILABLE}): a client that reconnects fails
     * calls made while it is disconnected with this at once.
     */
    UNAVAILABLE(true);

    private final boolean retryable;

    HbtpErrorCategory(boolean retryable) {
        this.retryable = retryable;
    }

    /**
     * Whether trying again later can succeed, as a rule for the category (a single error may say otherwise:
     * a call larger than the server's limit is RESOURCE but never succeeds). It does not say whether the call
     * is safe to repeat: a call that failed with {@link #NETWORK} or {@link #TIMEOUT} may have run.
     */
    public boolean retryable() {
        return retryable;
    }

    /** The category of an RPC_ERROR status ({@link HbtpStatus}). */
    public static HbtpErrorCategory ofStatus(int status) {
        return switch (status) {
            case HbtpStatus.UNAUTHENTICATED, HbtpStatus.PERMISSION_DENIED -> SECURITY;
            case HbtpStatus.RESOURCE_EXHAUSTED -> RESOURCE;
            case HbtpStatus.DEADLINE_EXCEEDED -> TIMEOUT;
            case HbtpStatus.UNAVAILABLE -> UNAVAILABLE;
            default -> APPLICATION;
        };
    }

    /** The category of a close code ({@link HbtpCloseCode}) received or sent. */
    public static HbtpErrorCategory ofCloseCode(int code) {
        return switch (code) {
            case HbtpCloseCode.PROTOCOL_ERROR, HbtpCloseCode.UNSUPPORTED -> PROTOCOL;
            case HbtpCloseCode.POLICY -> SECURITY;
            case HbtpCloseCode.TOO_LARGE -> RESOURCE;
            case HbtpCloseCode.GOING_AWAY -> UNAVAILABLE;
            default -> NETWORK;
        };
    }

    /**
     * The category of any failure a call or connect can end with: an {@link HbtpError}'s own, a
     * {@link TimeoutException} as {@link #TIMEOUT}, an {@link IOException} as {@link #NETWORK}, anything else
     * as {@link #APPLICATION}. {@link CompletionException} and {@link ExecutionException} are looked through.
     */
    public static HbtpErrorCategory of(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof HbtpError hbtp) {
            return hbtp.category();
        }
        if (e instanceof TimeoutException) {
            return TIMEOUT;
        }
        if (e instanceof IOException) {
            return NETWORK;
        }
        return APPLICATION;
    }
}
