package dev.dxreactor.examples.showcase.store;

import java.io.Serial;

/** A write named an item that is not in the table. */
public final class NoSuchItemException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public NoSuchItemException(long id) {
        super("no item " + id);
    }
}
