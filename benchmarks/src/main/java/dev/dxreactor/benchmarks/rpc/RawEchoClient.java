package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.reactor.DxReactor;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

import java.util.ArrayList;
import java.util.List;

/** The load client of {@link RawEchoServer}: u32-length prefixed requests, answers checked byte for byte. */
public final class RawEchoClient {

    private RawEchoClient() {
    }

    public static void main(String[] args) {
        LoadRun.main(args, RawEchoClient::run);
    }

    static RpcResult run(ClientSettings settings) throws InterruptedException {
        DxReactor reactor = Reactors.start(settings.transport(), 1);
        List<Channel> channels = new ArrayList<>();
        try {
            List<LoadRun.Connection> connections = new ArrayList<>();
            for (int c = 0; c < settings.connections(); c++) {
                Connection connection = new Connection(settings.payload());
                channels.add(reactor.bootstrap()
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(
                                        new LengthFieldBasedFrameDecoder(RawEchoServer.MAX_FRAME + 4, 0, 4, 0, 4),
                                        connection);
                            }
                        })
                        .connect(settings.host(), settings.port()).sync().channel());
                connections.add(connection);
            }
            return new LoadRun().run(connections, settings);
        } finally {
            channels.forEach(Channel::close);
            Reactors.stop(reactor);
        }
    }

    private static final class Connection extends FifoConnection {
        Connection(int payload) {
            super(payload);
        }

        @Override
        Object request(Channel channel, long id, int payload) {
            ByteBuf out = channel.alloc().ioBuffer(4 + payload);
            out.writeInt(payload);
            Payloads.write(out, id, payload);
            return out;
        }

        @Override
        ByteBuf body(Object answer) {
            return (ByteBuf) answer;
        }
    }
}
