package dev.dxreactor.hbtp.cli;

import dev.dxreactor.hbtp.HbtpClient;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prints the lines of a stream (topic states, server events) from the client's event loop, and lets the
 * command's thread wait until enough were printed, the time is up, the connection closed, or a line could
 * not be rendered.
 */
final class StreamPrinter {

    private final Terminal terminal;
    private final Long limit;
    private final CountDownLatch done = new CountDownLatch(1);
    private long printed;
    private volatile CliException failure;

    /** @param limit lines after which the stream is done, or {@code null} for no limit */
    StreamPrinter(Terminal terminal, Long limit) {
        this.terminal = terminal;
        this.limit = limit;
    }

    /** Renders and prints one line, unless the stream is done; runs on the client's event loop. */
    synchronized void print(Supplier<byte[]> line) {
        if (done.getCount() == 0) {
            return;
        }
        try {
            terminal.write(line.get());
        } catch (CliException e) {
            failure = e;
            done.countDown();
            return;
        } catch (RuntimeException e) {
            failure = CliException.failed(Connector.oneLine(e));
            done.countDown();
            return;
        }
        printed++;
        if (limit != null && printed >= limit) {
            done.countDown();
        }
    }

    /** Waits until the stream is done, {@code duration} (if not {@code null}) passed, or the connection closed. */
    void await(HbtpClient client, Duration duration) throws InterruptedException {
        client.channel().closeFuture().addListener(f -> done.countDown());
        if (duration == null) {
            done.await();
        } else {
            done.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        }
        synchronized (this) {
            // Late lines are dropped from here on.
            done.countDown();
            if (failure == null && !client.isOpen() && (limit == null || printed < limit)) {
                failure = new CliException(ExitCode.CONNECTION, "the server closed the connection after "
                        + printed + " line(s)");
            }
        }
    }

    /** The exit code, or the failure that ended the stream. */
    synchronized int result() {
        if (failure != null) {
            throw failure;
        }
        return ExitCode.OK;
    }
}
