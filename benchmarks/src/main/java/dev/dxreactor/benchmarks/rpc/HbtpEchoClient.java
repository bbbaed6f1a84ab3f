package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpResponseHandler;
import dev.dxreactor.reactor.DxReactor;
import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The load client of both HBTP servers (the product's and the lean one): the product's {@link HbtpClient} with
 * its defaults, one per connection, all on one dx-reactor event loop, each request body written straight into the
 * buffer the call is sent in and each answer handed to a handler on the loop, with no future per call
 * ({@link HbtpClient#call(int, int, HbtpClient.BodyWriter, HbtpResponseHandler)}).
 */
public final class HbtpEchoClient {

    private HbtpEchoClient() {
    }

    public static void main(String[] args) {
        LoadRun.main(args, HbtpEchoClient::run);
    }

    static RpcResult run(ClientSettings settings) throws InterruptedException {
        DxReactor reactor = Reactors.start(settings.transport(), 1);
        HbtpClientConfig config = HbtpClientConfig.builder()
                .eventLoop(reactor.group(), reactor.transport().socketChannelClass())
                .build();
        List<HbtpClient> clients = new ArrayList<>();
        try {
            List<LoadRun.Connection> connections = new ArrayList<>();
            for (int c = 0; c < settings.connections(); c++) {
                HbtpClient client = HbtpClient.connect(new InetSocketAddress(settings.host(), settings.port()), config);
                clients.add(client);
                connections.add(connection(client, settings.payload()));
            }
            return new LoadRun().run(connections, settings);
        } finally {
            clients.forEach(HbtpClient::close);
            Reactors.stop(reactor);
        }
    }

    static LoadRun.Connection connection(HbtpClient client, int payload) {
        return (id, answer) -> client.call(HbtpEchoServer.ECHO_ROUTE, payload, out -> Payloads.write(out, id, payload),
                new HbtpResponseHandler() {
                    @Override
                    public void onResponse(ByteBuf body) {
                        boolean matches;
                        try {
                            matches = Payloads.matches(body, id, payload);
                        } finally {
                            body.release();
                        }
                        answer.answered(matches);
                    }

                    @Override
                    public void onFailure(Throwable error) {
                        answer.failed(error);
                    }
                });
    }
}
