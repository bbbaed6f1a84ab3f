package dev.dxreactor.benchmarks.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static dev.dxreactor.benchmarks.rpc.LeanHbtpServer.CLOSE;
import static dev.dxreactor.benchmarks.rpc.LeanHbtpServer.EXPECTS_RESPONSE;
import static dev.dxreactor.benchmarks.rpc.LeanHbtpServer.FINAL;
import static dev.dxreactor.benchmarks.rpc.LeanHbtpServer.HEADER;
import static dev.dxreactor.benchmarks.rpc.LeanHbtpServer.HELLO;
import static dev.dxreactor.benchmarks.rpc.LeanHbtpServer.HELLO_ACK;
import static dev.dxreactor.benchmarks.rpc.LeanHbtpServer.HELLO_SIZE;
import static dev.dxreactor.benchmarks.rpc.LeanHbtpServer.MAGIC;
import static dev.dxreactor.benchmarks.rpc.LeanHbtpServer.MAX_FRAME;
import static dev.dxreactor.benchmarks.rpc.LeanHbtpServer.PING;
import static dev.dxreactor.benchmarks.rpc.LeanHbtpServer.PONG;
import static dev.dxreactor.benchmarks.rpc.LeanHbtpServer.RPC_CALL;
import static dev.dxreactor.benchmarks.rpc.LeanHbtpServer.RPC_RESPONSE;

/**
 * A load client for any HBTP server, <b>not part of the product</b>: the least an HBTP/1 client must do, written
 * from the wire spec like {@link LeanHbtpServer}. A real HELLO (no capability offered), then each request one
 * RPC_CALL frame built in one buffer, its sequence the number of a free in-flight slot of its connection, so an
 * answer finds its request by index; requests made while answers are read go out in one flush as the read burst
 * ends. It costs less per call than the product's client, so with both on the same cores it leaves the server
 * more of them: the variant that compares the servers' own speed.
 */
public final class LeanHbtpClient {

    private LeanHbtpClient() {
    }

    public static void main(String[] args) {
        LoadRun.main(args, LeanHbtpClient::run);
    }

    static RpcResult run(ClientSettings settings) throws InterruptedException {
        return NettyLoadClient.run(settings, new NettyLoadClient.Protocol<Connection>() {
            @Override
            public Connection newConnection() {
                return new Connection(settings.payload(), settings.inFlight());
            }

            @Override
            public ChannelHandler[] codec() {
                return new ChannelHandler[] {LeanHbtpServer.frameDecoder()};
            }

            @Override
            public void awaitReady(Connection connection) throws InterruptedException {
                if (!connection.handshake.await(10, TimeUnit.SECONDS) || !connection.handshake.isSuccess()) {
                    throw new IllegalStateException("no HELLO_ACK from " + settings.host() + ":" + settings.port(),
                            connection.handshake.cause());
                }
            }
        });
    }

    /** One connection: HELLO, then calls whose sequence is a free slot's number. */
    static final class Connection extends ChannelInboundHandlerAdapter implements LoadRun.Connection {
        private final int payload;
        private final LoadRun.Answer[] answers;
        private final long[] ids;
        private final int[] freeSlots;
        private int freeCount;
        private Channel channel;
        private boolean reading;
        private boolean helloDone;
        ChannelPromise handshake;

        Connection(int payload, int inFlight) {
            this.payload = payload;
            this.answers = new LoadRun.Answer[inFlight];
            this.ids = new long[inFlight];
            this.freeSlots = new int[inFlight];
            for (int slot = inFlight - 1; slot >= 0; slot--) {
                freeSlots[freeCount++] = slot;
            }
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            handshake = ctx.newPromise();
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ByteBuf hello = ctx.alloc().ioBuffer(HEADER + HELLO_SIZE);
            hello.writeByte(HELLO).writeByte(FINAL).writeShortLE(0).writeIntLE(HELLO_SIZE);
            hello.writeIntLE(MAGIC).writeByte(1).writeByte(0).writeShortLE(0);
            hello.writeIntLE(MAX_FRAME).writeIntLE(MAX_FRAME);
            ctx.writeAndFlush(hello, ctx.voidPromise());
        }

        @Override
        public void call(long id, LoadRun.Answer answer) {
            if (channel.eventLoop().inEventLoop()) {
                send(id, answer);
            } else {
                channel.eventLoop().execute(() -> send(id, answer));
            }
        }

        private void send(long id, LoadRun.Answer answer) {
            if (!channel.isActive() || freeCount == 0) {
                answer.failed(new IOException(freeCount == 0 ? "more requests than in-flight slots"
                        : "connection closed"));
                return;
            }
            int slot = freeSlots[--freeCount];
            answers[slot] = answer;
            ids[slot] = id;
            ByteBuf out = channel.alloc().ioBuffer(HEADER + 2 + payload);
            out.writeByte(RPC_CALL).writeByte(FINAL | EXPECTS_RESPONSE).writeShortLE(slot).writeIntLE(2 + payload);
            out.writeShortLE(HbtpEchoServer.ECHO_ROUTE);
            Payloads.write(out, id, payload);
            channel.write(out, channel.voidPromise());
            if (!reading) {
                channel.flush();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            reading = true;
            ByteBuf frame = (ByteBuf) msg;
            try {
                int opcode = frame.getUnsignedByte(0);
                int sequence = frame.getUnsignedShortLE(2);
                if (!helloDone) {
                    if (opcode != HELLO_ACK) {
                        handshake.tryFailure(new IOException("the first frame is opcode " + opcode
                                + ", not HELLO_ACK"));
                        ctx.close();
                        return;
                    }
                    helloDone = true;
                    handshake.trySuccess();
                    return;
                }
                switch (opcode) {
                    case RPC_RESPONSE -> answer(sequence, frame);
                    case PING -> {
                        frame.setByte(0, PONG);
                        ctx.writeAndFlush(frame.retain(), ctx.voidPromise());
                    }
                    case CLOSE -> ctx.close();
                    default -> fail(sequence, new IOException("opcode " + opcode + " for call " + sequence));
                }
            } finally {
                frame.release();
            }
        }

        private void answer(int slot, ByteBuf frame) {
            LoadRun.Answer answer = slot < answers.length ? answers[slot] : null;
            if (answer == null) {
                channel.close();
                return;
            }
            answers[slot] = null;
            freeSlots[freeCount++] = slot;
            frame.readerIndex(HEADER);
            answer.answered(Payloads.matches(frame, ids[slot], payload));
        }

        private void fail(int slot, Throwable cause) {
            LoadRun.Answer answer = slot < answers.length ? answers[slot] : null;
            if (answer != null) {
                answers[slot] = null;
                freeSlots[freeCount++] = slot;
                answer.failed(cause);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            reading = false;
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            handshake.tryFailure(cause);
            failAll(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            handshake.tryFailure(new IOException("connection closed"));
            failAll(new IOException("connection closed"));
        }

        private void failAll(Throwable cause) {
            for (int slot = 0; slot < answers.length; slot++) {
                fail(slot, cause);
            }
        }
    }
}
