package dev.dxreactor.benchmarks.rpc;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.stub.ServerCalls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC-java peer: a unary echo method on {@code grpc-netty-shaded}, handlers run on the event loop
 * ({@code directExecutor()}), one event loop group of {@code --workers} threads accepting and serving.
 */
public final class GrpcEchoServer {

    private GrpcEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        EchoServer.serve(args, GrpcEchoServer::start);
    }

    static EchoServer start(ServerSettings settings) throws IOException {
        System.err.println("gRPC server on " + (GrpcEcho.epoll(settings.transport()) ? "epoll" : "nio")
                + " (asked for " + settings.transport() + ")");
        EventLoopGroup group = GrpcEcho.group(settings.transport(), settings.workers(), "grpc-server");
        ServerServiceDefinition service = ServerServiceDefinition.builder(GrpcEcho.SERVICE)
                .addMethod(GrpcEcho.ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(request);
                    response.onCompleted();
                }))
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", settings.port()))
                .bossEventLoopGroup(group)
                .workerEventLoopGroup(group)
                .channelType(GrpcEcho.serverChannel(settings.transport()))
                .directExecutor()
                .addService(service)
                .build()
                .start();
        return new EchoServer() {
            @Override
            public int port() {
                return server.getPort();
            }

            @Override
            public void close() {
                server.shutdownNow();
                try {
                    server.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
            }
        };
    }
}
