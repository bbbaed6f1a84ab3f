package dev.dxreactor.hbtp;

import java.util.function.LongSupplier;

/**
 * Waits until a counter the server keeps stops moving: the point where an attack has taken all it can.
 * What is asserted is the counter's value then, never how long it took.
 */
final class Settle {

    private Settle() {
    }

    /**
     * The value of {@code counter} once it has reached {@code atLeast} and then not changed for
     * {@code quietMillis}: on a loaded machine a pause of the server alone must not pass for the end.
     */
    static long value(LongSupplier counter, long atLeast, long quietMillis) throws InterruptedException {
        long giveUp = System.nanoTime() + 30_000_000_000L;
        while (counter.getAsLong() < atLeast && System.nanoTime() - giveUp < 0) {
            Thread.sleep(10);
        }
        return value(counter, quietMillis);
    }

    /** The value of {@code counter} once it has not changed for {@code quietMillis}, at most 30 s in all. */
    static long value(LongSupplier counter, long quietMillis) throws InterruptedException {
        long giveUp = System.nanoTime() + 30_000_000_000L;
        long last = counter.getAsLong();
        long stableSince = System.nanoTime();
        while (System.nanoTime() - giveUp < 0) {
            Thread.sleep(20);
            long now = counter.getAsLong();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince >= quietMillis * 1_000_000L) {
                return now;
            }
        }
        throw new AssertionError("the counter kept moving for 30 s; last value " + last);
    }
}
