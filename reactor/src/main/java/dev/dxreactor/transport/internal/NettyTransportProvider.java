package dev.dxreactor.transport.internal;

import dev.dxreactor.reactor.ReactorConfig;
import dev.dxreactor.transport.TransportProvider;
import io.netty.channel.IoHandlerFactory;

import java.util.Set;

/**
 * Base of the built-in providers for Netty's optional native transports.
 *
 * <p>The transport's classes are optional dependencies, so nothing here or in a subclass may touch them
 * before {@link #classesPresent()} has said they are on the class path: the subclass methods that name
 * Netty's classes run only after that check, and the JVM resolves those classes lazily.
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
        Throwable unavailable = unavailabilityCause();
        if (unavailable != null) {
            throw new IllegalStateException("transport " + name + " is unavailable: " + unavailable.getMessage(),
                    unavailable);
        }
        return newIoHandlerFactory(config);
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
}
