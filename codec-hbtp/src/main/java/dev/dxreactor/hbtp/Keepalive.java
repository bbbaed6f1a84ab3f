package dev.dxreactor.hbtp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;

import java.util.concurrent.TimeUnit;

/**
 * Tells one end of a connection when nothing has been read or written for the idle timeout, so that it
 * sends PING. Event loop only.
 *
 * <p>It replaces Netty's {@code IdleStateHandler}, which makes a promise and adds a listener to every write
 * to learn when writes complete. The session handlers already know when they read and write, so activity
 * costs one clock read per read burst and per flush, and the one timer looks at the clock only when it
 * fires: after the timeout, or after what is left of it since the last activity.
 */
final class Keepalive {

    private final ChannelHandlerContext ctx;
    /** The event loop's clock, the one its timers run on (a test's frozen clock, too). */
    private final Ticker clock;
    private final long idleNanos;
    private final Runnable onIdle;
    private long lastActivity;
    private ScheduledFuture<?> timer;

    /**
     * @param idleNanos silence after which {@code onIdle} runs; 0 turns keepalive off
     * @param onIdle    runs on the event loop, once per idle period
     */
    Keepalive(ChannelHandlerContext ctx, long idleNanos, Runnable onIdle) {
        this.ctx = ctx;
        this.clock = ctx.executor().ticker();
        this.idleNanos = idleNanos;
        this.onIdle = onIdle;
    }

    void start() {
        if (idleNanos > 0 && timer == null) {
            lastActivity = clock.nanoTime();
            schedule(idleNanos);
        }
    }

    /** Something was read or written. */
    void activity() {
        if (idleNanos > 0) {
            lastActivity = clock.nanoTime();
        }
    }

    /** Something was read or written at {@code now}, a time the caller read from the loop's clock anyway. */
    void activity(long now) {
        lastActivity = now;
    }

    void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void schedule(long delayNanos) {
        timer = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        if (timer == null || !ctx.channel().isOpen()) {
            return;
        }
        long quiet = clock.nanoTime() - lastActivity;
        if (quiet >= idleNanos) {
            lastActivity = clock.nanoTime();
            schedule(idleNanos);
            onIdle.run();
        } else {
            schedule(idleNanos - quiet);
        }
    }
}
