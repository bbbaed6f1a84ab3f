package dev.dxreactor.hbtp.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** Where and how to connect: the options every command shares. */
final class ConnectOptions {

    /** The port of the example server ({@code examples/}), so that the two work together out of the box. */
    static final int DEFAULT_PORT = 7008;

    @Option(names = "--host", paramLabel = "<host>", defaultValue = "localhost",
            description = "Server host name or address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "<port>", defaultValue = "" + DEFAULT_PORT,
            description = "Server port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--tls", description = "Connect over TLS, trusting the JDK's CA certificates"
            + " (and checking the host name) unless --ca-file or --insecure says otherwise.")
    boolean tls;

    @Option(names = "--ca-file", paramLabel = "<pem>",
            description = "Trust the CA certificates in this PEM file instead of the JDK's; implies --tls.")
    Path caFile;

    @Option(names = "--insecure", description = "TLS without checking the server's certificate or host name"
            + " (tests only); implies --tls.")
    boolean insecure;

    @Option(names = "--encrypt", description = "Require HBTP's own encryption (X25519, ChaCha20-Poly1305);"
            + " the connection fails if the server does not agree.")
    boolean encrypt;

    @Option(names = "--psk-file", paramLabel = "<file>", description = "Pre-shared key: the file's bytes,"
            + " exactly as they are (at least 16); implies --encrypt.")
    Path pskFile;

    @Option(names = "--transport", paramLabel = "<name>", description = "Netty transport: io_uring, epoll,"
            + " kqueue or nio (default: the best this machine offers).")
    String transport;

    @Option(names = "--connect-timeout", paramLabel = "<duration>", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Time allowed for the connection and for the handshake (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    /** {@code host:port}, for messages. */
    String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
