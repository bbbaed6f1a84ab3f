package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpWebSocketConfig;
import dev.dxreactor.hbtp.HbtpWebSocketInitializer;
import dev.dxreactor.reactor.DxReactor;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The product's HBTP server and client as in {@code hbtp}, over WebSocket: {@link HbtpWebSocketInitializer} with
 * the same {@link HbtpServerConfig} defaults and echo route, and {@link HbtpClient} with
 * {@code webSocket("/hbtp")}. Beside {@code hbtp}, it shows what the WebSocket framing costs.
 */
public final class HbtpWebSocketEcho {

    static final String PATH = "/hbtp";

    private HbtpWebSocketEcho() {
    }

    /** The server's main. */
    public static final class Server {
        private Server() {
        }

        public static void main(String[] args) throws Exception {
            EchoServer.serve(args, settings -> NettyEchoServer.start(settings, new HbtpWebSocketInitializer(
                    HbtpWebSocketConfig.builder(HbtpServerConfig.builder().router(new HbtpRouter()
                            .route(HbtpEchoServer.ECHO_ROUTE, call -> call.payload().retain())).build())
                            .path(PATH).build())));
        }
    }

    /** The load client's main: as {@link HbtpEchoClient}, over WebSocket. */
    public static final class Client {
        private Client() {
        }

        public static void main(String[] args) {
            LoadRun.main(args, Client::run);
        }

        static RpcResult run(ClientSettings settings) throws InterruptedException {
            DxReactor reactor = Reactors.start(settings.transport(), 1);
            HbtpClientConfig config = HbtpClientConfig.builder()
                    .eventLoop(reactor.group(), reactor.transport().socketChannelClass())
                    .webSocket(PATH)
                    .build();
            List<HbtpClient> clients = new ArrayList<>();
            try {
                List<LoadRun.Connection> connections = new ArrayList<>();
                for (int c = 0; c < settings.connections(); c++) {
                    HbtpClient client = HbtpClient.connect(new InetSocketAddress(settings.host(), settings.port()),
                            config);
                    clients.add(client);
                    connections.add(HbtpEchoClient.connection(client, settings.payload()));
                }
                return new LoadRun().run(connections, settings);
            } finally {
                clients.forEach(HbtpClient::close);
                Reactors.stop(reactor);
            }
        }
    }
}
