package dev.dxreactor.benchmarks.rsocket;

import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketServer;
import io.rsocket.frame.decoder.PayloadDecoder;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.transport.netty.server.TcpServerTransport;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * The RSocket request-response echo server of the rpc-throughput benchmark: every request's data comes back as
 * the answer's data.
 *
 * <p>Run as {@code java -cp rsocket-peer.jar dev.dxreactor.benchmarks.rsocket.RSocketEchoServer --port 0
 * --transport epoll --workers 1}. It prints {@code LISTENING <port>} on stdout once it accepts connections and
 * runs until its stdin reaches end of file. {@code --transport} is reported and otherwise ignored: reactor-netty
 * uses epoll when its native library loads and NIO otherwise, and says which on stderr.
 */
public final class RSocketEchoServer {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private RSocketEchoServer() {
    }

    /**
     * Starts the server, prints {@code LISTENING <port>}, and stops when stdin closes.
     *
     * @param args {@code --port <p> --transport <name> --workers <n>}, all optional
     */
    public static void main(String[] args) {
        ServerOptions options;
        try {
            options = ServerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("RSocketEchoServer: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (Running server = start(options)) {
            System.err.println("RSocketEchoServer: " + server.loopType() + " on 127.0.0.1:" + server.port()
                    + ", " + options.workers() + " event loop(s); --transport " + options.transport()
                    + " ignored (reactor-netty picks epoll when available, else NIO)");
            System.out.println("LISTENING " + server.port());
            System.out.flush();
            awaitEndOfInput(System.in);
        }
        System.exit(0);
    }

    /**
     * Binds the echo server on 127.0.0.1.
     *
     * <p>Both sides use {@link PayloadDecoder#ZERO_COPY}: the request's data is a retained slice of the frame
     * it came in, and returning that payload as the answer hands it to RSocket, which writes it behind the
     * answer's frame header and releases it, so the echo copies no bytes.
     */
    static Running start(ServerOptions options) {
        LoopResources loops = LoopResources.create("rsocket-server", options.workers(), true);
        // runOn(loops) takes the native group when LoopResources.DEFAULT_NATIVE allows it and one is available.
        String loopType = loops.onServer(LoopResources.DEFAULT_NATIVE).next().getClass().getSimpleName();
        TcpServer tcp = TcpServer.create()
                .host("127.0.0.1")
                .port(options.port())
                .runOn(loops);
        try {
            CloseableChannel channel = RSocketServer.create(SocketAcceptor.forRequestResponse(Mono::just))
                    .payloadDecoder(PayloadDecoder.ZERO_COPY)
                    .bind(TcpServerTransport.create(tcp))
                    .block(CLOSE_TIMEOUT);
            if (channel == null) {
                throw new IllegalStateException("the RSocket server did not bind");
            }
            return new Running(channel, loops, loopType);
        } catch (RuntimeException e) {
            loops.disposeLater(Duration.ZERO, CLOSE_TIMEOUT).block(CLOSE_TIMEOUT);
            throw e;
        }
    }

    /** Reads and drops {@code in} until end of file: the driver stops the server by closing its stdin. */
    static void awaitEndOfInput(InputStream in) {
        byte[] sink = new byte[256];
        try {
            while (in.read(sink) >= 0) {
                // keep draining: only end of file means stop
            }
        } catch (IOException e) {
            System.err.println("RSocketEchoServer: stdin failed (" + e + "), stopping");
        }
    }

    /**
     * A bound server.
     *
     * @param channel     the listening RSocket server
     * @param loops       its event loops, owned by it
     * @param loopType    the Netty event loop class reactor-netty runs it on, e.g. EpollEventLoop
     */
    record Running(CloseableChannel channel, LoopResources loops, String loopType) implements AutoCloseable {

        int port() {
            return channel.address().getPort();
        }

        @Override
        public void close() {
            channel.dispose();
            channel.onClose().block(CLOSE_TIMEOUT);
            loops.disposeLater(Duration.ZERO, CLOSE_TIMEOUT).block(CLOSE_TIMEOUT);
        }
    }
}
