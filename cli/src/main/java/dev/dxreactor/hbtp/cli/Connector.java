package dev.dxreactor.hbtp.cli;

import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpEncryptionMode;
import dev.dxreactor.hbtp.HbtpException;
import dev.dxreactor.reactor.ReactorConfig;
import dev.dxreactor.transport.TransportProvider;
import dev.dxreactor.transport.Transports;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Makes HBTP connections as {@link ConnectOptions} say: the transport (the best one, or the one named), an
 * event loop group of its own, TLS, HBTP encryption, a pre-shared key. {@link #close()} stops the loops.
 */
final class Connector implements AutoCloseable {

    private final ConnectOptions options;
    private final TransportProvider transport;
    private final HbtpClientConfig config;
    private final EventLoopGroup group;

    private Connector(ConnectOptions options, TransportProvider transport, HbtpClientConfig config,
                      EventLoopGroup group) {
        this.options = options;
        this.transport = transport;
        this.config = config;
        this.group = group;
    }

    /**
     * Checks the options and starts {@code threads} event loops on the chosen transport.
     *
     * @param tune further settings of the client config (limits, timeouts)
     * @throws CliException {@link ExitCode#USAGE} when an option is wrong (an unknown transport, a missing
     *                      file, a key too short)
     */
    static Connector open(ConnectOptions options, int threads, UnaryOperator<HbtpClientConfig.Builder> tune) {
        TransportProvider transport = transport(options.transport);
        HbtpClientConfig.Builder builder = HbtpClientConfig.builder().connectTimeout(options.connectTimeout);
        if (options.tls || options.caFile != null || options.insecure) {
            builder.sslContext(tls(options));
        }
        if (options.encrypt) {
            builder.encryption(HbtpEncryptionMode.REQUIRED);
        }
        if (options.pskFile != null) {
            try {
                builder.preSharedKey(Files.readAllBytes(options.pskFile));
            } catch (IOException e) {
                throw CliException.usage("cannot read the pre-shared key file " + options.pskFile + ": " + e);
            }
        }
        // The group comes from the connector, so build() checks the rest first with a placeholder.
        HbtpClientConfig.Builder tuned = tune.apply(builder);
        try {
            tuned.build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("hbtp-cli", true),
                transport.ioHandlerFactory(ReactorConfig.defaults()));
        HbtpClientConfig config = tuned.eventLoop(group, transport.socketChannelClass()).build();
        return new Connector(options, transport, config, group);
    }

    private static TransportProvider transport(String name) {
        try {
            return name == null || name.isBlank() ? Transports.best() : Transports.byName(name.trim());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    private static SslContext tls(ConnectOptions options) {
        SslContextBuilder tls = SslContextBuilder.forClient();
        if (options.insecure) {
            tls.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else if (options.caFile != null) {
            if (!Files.isReadable(options.caFile)) {
                throw CliException.usage("cannot read the CA file " + options.caFile);
            }
            tls.trustManager(options.caFile.toFile());
        }
        try {
            return tls.build();
        } catch (IOException | IllegalArgumentException e) {
            throw CliException.usage("cannot set up TLS: " + e.getMessage());
        }
    }

    /**
     * Connects and completes the handshake.
     *
     * @throws CliException {@link ExitCode#CONNECTION} when either fails
     */
    HbtpClient connect() {
        try {
            return HbtpClient.connect(new InetSocketAddress(options.host, options.port), config);
        } catch (HbtpException e) {
            throw CliException.connection(oneLine(e), e);
        }
    }

    /** The client settings, event loop group included. */
    HbtpClientConfig config() {
        return config;
    }

    /** The transport the connections run on. */
    String transportName() {
        return transport.name();
    }

    String address() {
        return options.address();
    }

    /** A failure's message and its causes', on one line, without repeating what a message already says. */
    static String oneLine(Throwable error) {
        StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && !text.toString().contains(message)) {
                text.append(": ").append(message);
            }
        }
        return text.toString().replace('\n', ' ');
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
