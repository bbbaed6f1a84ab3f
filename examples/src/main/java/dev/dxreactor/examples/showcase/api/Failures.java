package dev.dxreactor.examples.showcase.api;

import dev.dxreactor.cim.CimException;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.examples.showcase.store.NoSuchItemException;

import java.util.concurrent.CompletionException;

/** What a failed write answers, on both protocols: the chain turns a {@link CimException} into the status. */
final class Failures {

    private Failures() {
    }

    /** {@code error} as the exception to answer with; anything unexpected stays as it is (INTERNAL, logged). */
    static RuntimeException answer(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof NoSuchItemException missing) {
            return new CimException(CimStatus.NOT_FOUND, missing.getMessage());
        }
        if (cause instanceof CimException answer) {
            return answer;
        }
        return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    }
}
