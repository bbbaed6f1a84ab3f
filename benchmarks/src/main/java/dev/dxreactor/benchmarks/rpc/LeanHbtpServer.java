package dev.dxreactor.benchmarks.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A ceiling for the product's server, <b>not part of the product</b>: the least an HBTP/1 echo server must do,
 * written from the wire spec ({@code hbtp-v1.md}) alone. Netty's {@link LengthFieldBasedFrameDecoder} cuts
 * frames at the 8-byte header's little-endian length (checked against the maximum before the payload is read);
 * one handler does the HELLO / HELLO_ACK exchange (no capability agreed: no compression, encryption, metadata
 * or topics) and answers each RPC_CALL that expects a response with an RPC_RESPONSE carrying the request bytes,
 * written over the call's own frame (its header and route become the response's header), flushed once per read
 * burst. PING is answered with PONG, CLOSE with CLOSE; anything else a client does not send in an echo closes
 * the connection. No keepalive, no in-flight or memory limits, no fragments (the HELLO_ACK's message limit
 * equals its frame limit, so a client never splits a message).
 */
public final class LeanHbtpServer {

    static final int HEADER = 8;
    static final int MAX_FRAME = 1 << 20;
    static final int MAGIC = 0x50544248; // "HBTP" read as a little-endian u32
    static final int HELLO_SIZE = 16;

    static final int PING = 0x00;
    static final int PONG = 0x01;
    static final int CLOSE = 0x02;
    static final int HELLO = 0x03;
    static final int HELLO_ACK = 0x04;
    static final int RPC_CALL = 0x30;
    static final int RPC_RESPONSE = 0x31;
    static final int CANCEL = 0x33;

    static final int EXPECTS_RESPONSE = 0x04;
    static final int FINAL = 0x08;

    private LeanHbtpServer() {
    }

    public static void main(String[] args) throws Exception {
        EchoServer.serve(args, LeanHbtpServer::start);
    }

    static EchoServer start(ServerSettings settings) throws InterruptedException {
        return NettyEchoServer.start(settings, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(frameDecoder(), new Session());
            }
        });
    }

    /** Whole frames, header included; a length above {@link #MAX_FRAME} fails before any payload is read. */
    static LengthFieldBasedFrameDecoder frameDecoder() {
        return new LengthFieldBasedFrameDecoder(ByteOrder.LITTLE_ENDIAN, HEADER + MAX_FRAME, 4, 4, 0, 0, true);
    }

    /** One connection: HELLO first, then calls. */
    static final class Session extends ChannelInboundHandlerAdapter {
        private boolean helloDone;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            int opcode = frame.getUnsignedByte(0);
            int flags = frame.getUnsignedByte(1);
            if (!helloDone) {
                hello(ctx, frame, opcode, flags);
                return;
            }
            if (flags != (FINAL | EXPECTS_RESPONSE) && flags != FINAL) {
                // Fragments, or compression, encryption or metadata, none of which was agreed; or reserved bits.
                frame.release();
                close(ctx, 1002, "flags " + flags + " not agreed");
                return;
            }
            switch (opcode) {
                case RPC_CALL -> call(ctx, frame, flags);
                case PING -> answer(ctx, frame, PONG);
                case CANCEL -> frame.release();
                case CLOSE -> {
                    frame.release();
                    close(ctx, 1000, "");
                }
                default -> {
                    frame.release();
                    close(ctx, 1003, "opcode " + opcode + " not served");
                }
            }
        }

        private static void call(ChannelHandlerContext ctx, ByteBuf frame, int flags) {
            int length = frame.getIntLE(4);
            if (length < 2) {
                frame.release();
                close(ctx, 1002, "RPC_CALL without a route");
                return;
            }
            if ((flags & EXPECTS_RESPONSE) == 0) {
                frame.release();
                return;
            }
            int sequence = frame.getUnsignedShortLE(2);
            // The response header goes over the call's header and route: the request bytes stay where they are.
            frame.setByte(2, RPC_RESPONSE);
            frame.setByte(3, FINAL);
            frame.setShortLE(4, sequence);
            frame.setIntLE(6, length - 2);
            frame.readerIndex(2);
            ctx.write(frame, ctx.voidPromise());
        }

        /** The frame back with another opcode: PONG carries the PING's bytes and sequence. */
        private static void answer(ChannelHandlerContext ctx, ByteBuf frame, int opcode) {
            frame.setByte(0, opcode);
            frame.setByte(1, FINAL);
            ctx.write(frame, ctx.voidPromise());
        }

        private void hello(ChannelHandlerContext ctx, ByteBuf frame, int opcode, int flags) {
            try {
                int length = frame.getIntLE(4);
                if (opcode != HELLO || flags != FINAL || length < HELLO_SIZE) {
                    close(ctx, 1002, "the first frame must be a HELLO");
                    return;
                }
                if (frame.getIntLE(HEADER) != MAGIC || frame.getUnsignedByte(HEADER + 5) != 0) {
                    close(ctx, 1002, "not an HBTP HELLO");
                    return;
                }
                if (frame.getUnsignedByte(HEADER + 4) != 1) {
                    close(ctx, 1003, "HBTP version 1 only");
                    return;
                }
                long clientMaxFrame = frame.getUnsignedIntLE(HEADER + 8);
                // Never send the client a frame above its limit: ours are no bigger than the calls it sent.
                int maxFrame = (int) Math.min(MAX_FRAME, clientMaxFrame);
                ByteBuf ack = ctx.alloc().ioBuffer(HEADER + HELLO_SIZE);
                ack.writeByte(HELLO_ACK).writeByte(FINAL).writeShortLE(0).writeIntLE(HELLO_SIZE);
                ack.writeIntLE(MAGIC).writeByte(1).writeByte(0).writeShortLE(0);
                ack.writeIntLE(maxFrame).writeIntLE(maxFrame);
                ctx.write(ack, ctx.voidPromise());
                helloDone = true;
            } finally {
                frame.release();
            }
        }

        private static void close(ChannelHandlerContext ctx, int code, String reason) {
            byte[] text = reason.getBytes(StandardCharsets.UTF_8);
            ByteBuf out = ctx.alloc().ioBuffer(HEADER + 2 + text.length);
            out.writeByte(CLOSE).writeByte(FINAL).writeShortLE(0).writeIntLE(2 + text.length);
            out.writeShortLE(code).writeBytes(text);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
