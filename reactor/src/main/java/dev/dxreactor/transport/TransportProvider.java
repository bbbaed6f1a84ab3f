package dev.dxreactor.transport;

import dev.dxreactor.reactor.ReactorConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;

import java.util.Map;
import java.util.Set;

/**
 * A Netty transport that dx-reactor can select at run time.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.dxreactor.transport.TransportProvider} (class path) or in a
 * {@code provides} clause (module path). dx-reactor ships {@code nio}, {@code epoll}, {@code io_uring}
 * and {@code kqueue}; a transport artifact joins the selection just by being on the class path.
 *
 * <p>A provider must be cheap to construct and must not fail when its transport's classes or native
 * library are missing: it reports that through {@link #isAvailable()} and {@link #unavailabilityCause()}.
 */
public interface TransportProvider {

    /** Short, stable name used by {@code dx.transport} and {@code DxReactor.builder().transport(..)}. */
    String name();

    /** Higher is preferred when several transports are available. */
    int priority();

    /** Whether the transport's classes and native parts work on this machine. */
    boolean isAvailable();

    /** Why {@link #isAvailable()} is false; {@code null} when it is available. */
    Throwable unavailabilityCause();

    /**
     * The factory for this transport's {@link io.netty.channel.IoHandler}, tuned by the fields of
     * {@code config} that appear in {@link #supportedOptions()}; other fields are ignored.
     *
     * @throws IllegalStateException if the transport is not available
     */
    IoHandlerFactory ioHandlerFactory(ReactorConfig config);

    Class<? extends ServerSocketChannel> serverSocketChannelClass();

    Class<? extends SocketChannel> socketChannelClass();

    /** The {@link ReactorConfig} field names this transport honours. */
    Set<String> supportedOptions();

    /**
     * Channel options every connection needs so that {@code config} takes effect, for example the buffer
     * group of an io_uring provided-buffer ring. Applied as child options on servers and options on clients.
     */
    default Map<ChannelOption<?>, Object> channelOptions(ReactorConfig config) {
        return Map.of();
    }
}
