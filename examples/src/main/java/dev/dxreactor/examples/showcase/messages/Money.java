package dev.dxreactor.examples.showcase.messages;

/** Prices are whole cents; shown as units with two decimals. */
public final class Money {

    private Money() {
    }

    public static String format(long cents) {
        return (cents / 100) + "." + String.format("%02d", cents % 100);
    }
}
