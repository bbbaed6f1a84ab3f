package dev.dxreactor.transport.internal;

import dev.dxreactor.reactor.ReactorConfig;
import dev.dxreactor.transport.TransportProvider;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.Set;

/** Netty's NIO transport: part of {@code netty-transport}, so always there and always the last resort. */
public final class NioTransportProvider implements TransportProvider {

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public Throwable unavailabilityCause() {
        return null;
    }

    @Override
    public IoHandlerFactory ioHandlerFactory(ReactorConfig config) {
        return NioIoHandler.newFactory();
    }

    @Override
    public Class<? extends ServerSocketChannel> serverSocketChannelClass() {
        return NioServerSocketChannel.class;
    }

    @Override
    public Class<? extends SocketChannel> socketChannelClass() {
        return NioSocketChannel.class;
    }

    @Override
    public Set<String> supportedOptions() {
        return Set.of();
    }

    @Override
    public String toString() {
        return name();
    }
}
