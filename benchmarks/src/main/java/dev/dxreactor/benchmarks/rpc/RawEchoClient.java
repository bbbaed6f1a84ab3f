package dev.dxreactor.benchmarks.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;


/** The load client of {@link RawEchoServer}: u32-length prefixed requests, answers checked byte for byte. */
public final class RawEchoClient {

    private RawEchoClient() {
    }

    public static void main(String[] args) {
        LoadRun.main(args, RawEchoClient::run);
    }

    static RpcResult run(ClientSettings settings) throws InterruptedException {
        return NettyLoadClient.run(settings, NettyLoadClient.of(() -> new Connection(settings.payload()),
                () -> new ChannelHandler[] {
                    new LengthFieldBasedFrameDecoder(RawEchoServer.MAX_FRAME + 4, 0, 4, 0, 4)}));
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
