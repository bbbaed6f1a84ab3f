package dev.dxreactor.benchmarks.rpc;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * What the gRPC server and client share: the unary echo method with a raw {@code byte[]} marshaller (no
 * protobuf), and the event loops of gRPC's own shaded Netty 4.1, which has epoll and NIO but no io_uring: any
 * transport but {@code nio} runs on epoll where it is available.
 */
final class GrpcEcho {

    static final String SERVICE = "dxbench.Echo";

    /** Bytes as they are: the stream gRPC frames from knows its length and drains into the frame at once. */
    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new BytesStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Echo"))
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    private GrpcEcho() {
    }

    /** The transport gRPC's Netty runs on when asked for {@code transport}. */
    static boolean epoll(String transport) {
        return !"nio".equals(transport) && Epoll.isAvailable();
    }

    static EventLoopGroup group(String transport, int threads, String name) {
        DefaultThreadFactory threadFactory = new DefaultThreadFactory(name, true);
        return epoll(transport) ? new EpollEventLoopGroup(threads, threadFactory)
                : new NioEventLoopGroup(threads, threadFactory);
    }

    static Class<? extends io.grpc.netty.shaded.io.netty.channel.ServerChannel> serverChannel(String transport) {
        return epoll(transport) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static Class<? extends io.grpc.netty.shaded.io.netty.channel.Channel> channel(String transport) {
        return epoll(transport) ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    private static final class BytesStream extends ByteArrayInputStream implements KnownLength, Drainable {
        BytesStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = count - pos;
            target.write(buf, pos, n);
            pos = count;
            return n;
        }
    }
}
