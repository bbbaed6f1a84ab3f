package dev.dxreactor.cim;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns an exception thrown by a hook or an application into the error response the chain goes on with,
 * and logs it exactly once. Generated handlers call this from their catch blocks.
 */
public final class HookFailures {

    private static final Logger LOG = LoggerFactory.getLogger(HookFailures.class);
    static final String INTERNAL_MESSAGE = "internal error";

    private HookFailures() {
    }

    /**
     * The error response for {@code error}, thrown by {@code hook} (for example {@code "AuthMiddleware.before"}):
     * a {@link CimException}'s own status and message, otherwise {@link CimStatus#INTERNAL} with no detail.
     */
    public static CimResponse failed(CimRequest request, String hook, Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof CimException answer) {
            LOG.debug("{} answered {} {} for {}", hook, answer.status(), answer.getMessage(), request.describe());
            return request.reply(answer.status(), answer.getMessage());
        }
        LOG.warn("{} failed for {} from {}", hook, request.describe(), request.remoteAddress(), cause);
        return request.reply(CimStatus.INTERNAL, INTERNAL_MESSAGE);
    }

    /** {@link #failed}, for an after that threw while holding {@code replaced}: that response is discarded. */
    public static CimResponse failedReplacing(CimRequest request, CimResponse replaced, String hook,
                                              Throwable error) {
        replaced.discard();
        return failed(request, hook, error);
    }

    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
