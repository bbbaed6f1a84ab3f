package dev.dxreactor.benchmarks.rpc;

import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The load client of {@link GrpcEchoServer}: one {@link ManagedChannel} (one HTTP/2 connection) per connection,
 * all on one event loop, callbacks on it ({@code directExecutor()}), unary calls through {@link ClientCalls}.
 */
public final class GrpcEchoClient {

    private GrpcEchoClient() {
    }

    public static void main(String[] args) {
        LoadRun.main(args, GrpcEchoClient::run);
    }

    static RpcResult run(ClientSettings settings) throws InterruptedException {
        EventLoopGroup group = GrpcEcho.group(settings.transport(), 1, "grpc-client");
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            List<LoadRun.Connection> connections = new ArrayList<>();
            for (int c = 0; c < settings.connections(); c++) {
                ManagedChannel channel = NettyChannelBuilder.forAddress(settings.host(), settings.port())
                        .usePlaintext()
                        .directExecutor()
                        .eventLoopGroup(group)
                        .channelType(GrpcEcho.channel(settings.transport()))
                        .build();
                channels.add(channel);
                awaitReady(channel);
                connections.add(connection(channel, settings.payload()));
            }
            return new LoadRun().run(connections, settings);
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
            for (ManagedChannel channel : channels) {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Connects now, so that the warm-up is spent calling, not connecting. */
    private static void awaitReady(ManagedChannel channel) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ConnectivityState state;
        while ((state = channel.getState(true)) != ConnectivityState.READY) {
            if (state == ConnectivityState.TRANSIENT_FAILURE || System.nanoTime() > deadline) {
                throw new IllegalStateException("gRPC channel not ready: " + state);
            }
            Thread.sleep(5);
        }
    }

    static LoadRun.Connection connection(ManagedChannel channel, int payload) {
        return (id, answer) -> ClientCalls.asyncUnaryCall(channel.newCall(GrpcEcho.ECHO, CallOptions.DEFAULT),
                Payloads.bytes(id, payload), new StreamObserver<>() {
                    private boolean matches;

                    @Override
                    public void onNext(byte[] value) {
                        matches = Payloads.matches(value, id, payload);
                    }

                    @Override
                    public void onError(Throwable failure) {
                        answer.failed(failure);
                    }

                    @Override
                    public void onCompleted() {
                        answer.answered(matches);
                    }
                });
    }
}
