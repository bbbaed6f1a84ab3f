package dev.dxreactor.transport.iocp.socket;

import dev.dxreactor.transport.iocp.Winsock;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * The half-closure of a Winsock TCP connection, for its {@link DuplexChannel} methods: each direction is shut
 * once ({@code shutdown} with {@code SD_RECEIVE} or {@code SD_SEND}) on the channel's loop, and a channel that is
 * not active counts as shut both ways.
 */
public final class HalfClosure {

    private final AbstractWinsockChannel channel;
    private final DuplexChannel duplex;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;

    public <C extends AbstractWinsockChannel & DuplexChannel> HalfClosure(C channel) {
        this.channel = channel;
        this.duplex = channel;
    }

    public boolean isInputShutdown() {
        return inputShutdown || !channel.isActive();
    }

    public boolean isOutputShutdown() {
        return outputShutdown || !channel.isActive();
    }

    public boolean isShutdown() {
        return (inputShutdown && outputShutdown) || !channel.isActive();
    }

    /** Whether the input was shut (by the user, or after the peer's FIN with half-closure allowed). */
    public boolean inputShut() {
        return inputShutdown;
    }

    /** {@link DuplexChannel#shutdownInput(ChannelPromise)}. */
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            shutdownInput0(promise);
        } else {
            loop.execute(() -> shutdownInput0(promise));
        }
        return promise;
    }

    private void shutdownInput0(ChannelPromise promise) {
        if (!channel.isOpen()) {
            promise.setFailure(new ClosedChannelException());
            return;
        }
        try {
            shutdownSocketInput();
            promise.setSuccess();
        } catch (Throwable t) {
            promise.setFailure(t);
        }
    }

    /** Shuts the socket's input once; loop thread. */
    public void shutdownSocketInput() throws IOException {
        if (!inputShutdown) {
            inputShutdown = true;
            if (channel.hasOpenSocket()) {
                channel.kernel.shutdown(channel.socket, Winsock.SD_RECEIVE);
            }
        }
    }

    /** Shuts the socket's output once: the channel's {@code doShutdownOutput}. */
    public void shutdownSocketOutput() throws IOException {
        if (!outputShutdown) {
            outputShutdown = true;
            channel.kernel.shutdown(channel.socket, Winsock.SD_SEND);
        }
    }

    /** {@link DuplexChannel#shutdown(ChannelPromise)}: the output, then the input; the output's failure first. */
    public ChannelFuture shutdown(ChannelPromise promise) {
        ChannelFuture output = duplex.shutdownOutput();
        if (output.isDone()) {
            shutdownInputAfterOutput(output, promise);
        } else {
            output.addListener((ChannelFutureListener) f -> shutdownInputAfterOutput(f, promise));
        }
        return promise;
    }

    private void shutdownInputAfterOutput(ChannelFuture output, ChannelPromise promise) {
        ChannelFuture input = duplex.shutdownInput();
        input.addListener((ChannelFutureListener) f -> {
            Throwable outputCause = output.cause();
            Throwable inputCause = f.cause();
            if (outputCause != null) {
                if (inputCause != null) {
                    outputCause.addSuppressed(inputCause);
                }
                promise.setFailure(outputCause);
            } else if (inputCause != null) {
                promise.setFailure(inputCause);
            } else {
                promise.setSuccess();
            }
        });
    }
}
