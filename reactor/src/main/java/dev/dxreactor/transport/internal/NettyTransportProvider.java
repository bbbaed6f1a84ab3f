package dev.dxreactor.transport.internal;

import dev.dxreactor.reactor.ReactorConfig;
import dev.dxreactor.transport.TransportProvider;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;

import java.util.Map;

import java.util.Set;

/**
 * Base of the built-in providers for Netty's optional native transports.
 *
 * <p>The transport's classes are optional dependencies. A subclass keeps every reference to them in a
 * separate backend class with static methods, called only after {@link #classesPresent()} has found them:
 * the JVM then loads the backend lazily, whereas code naming those classes in the provider itself can make
 * the verifier load them when the provider is loaded, and fail.
 */
abstract class NettyTransportProvider implements TransportProvider {

    private final String name;
    private final int priority;
    private final String probeClass;
    private final String artifact;
    private final Set<String> supportedOptions;
    private volatile Throwable cause;
    private volatile boolean checked;

    NettyTransportProvider(String name, int priority, String probeClass, String artifact,
                           Set<String> supportedOptions) {
        this.name = name;
        this.priority = priority;
        this.probeClass = probeClass;
        this.artifact = artifact;
        this.supportedOptions = Set.copyOf(supportedOptions);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int priority() {
        return priority;
    }

    @Override
    public final boolean isAvailable() {
        return unavailabilityCause() == null;
    }

    @Override
    public final Throwable unavailabilityCause() {
        if (!checked) {
            cause = classesPresent() ? nativeUnavailabilityCause() : new ClassNotFoundException(
                    artifact + " is not on the class path (" + probeClass + " not found)");
            checked = true;
        }
        return cause;
    }

    @Override
    public final IoHandlerFactory ioHandlerFactory(ReactorConfig config) {
        requireAvailable();
        return newIoHandlerFactory(config);
    }

    @Override
    public final Class<? extends ServerSocketChannel> serverSocketChannelClass() {
        requireAvailable();
        return serverChannelClass();
    }

    @Override
    public final Class<? extends SocketChannel> socketChannelClass() {
        requireAvailable();
        return channelClass();
    }

    @Override
    public final Map<ChannelOption<?>, Object> channelOptions(ReactorConfig config) {
        requireAvailable();
        return channelOptionsFor(config);
    }

    private void requireAvailable() {
        Throwable unavailable = unavailabilityCause();
        if (unavailable != null) {
            throw new IllegalStateException("transport " + name + " is unavailable: " + unavailable.getMessage(),
                    unavailable);
        }
    }

    @Override
    public final Set<String> supportedOptions() {
        return supportedOptions;
    }

    @Override
    public String toString() {
        return name;
    }

    private boolean classesPresent() {
        try {
            Class.forName(probeClass, false, NettyTransportProvider.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Called only when the classes are present: the transport's own verdict, {@code null} when usable. */
    abstract Throwable nativeUnavailabilityCause();

    /** Called only when available. */
    abstract IoHandlerFactory newIoHandlerFactory(ReactorConfig config);

    /** Called only when available. */
    abstract Class<? extends ServerSocketChannel> serverChannelClass();

    /** Called only when available. */
    abstract Class<? extends SocketChannel> channelClass();

    /** Called only when available; none by default. */
    Map<ChannelOption<?>, Object> channelOptionsFor(ReactorConfig config) {
        return Map.of();
    }
}
