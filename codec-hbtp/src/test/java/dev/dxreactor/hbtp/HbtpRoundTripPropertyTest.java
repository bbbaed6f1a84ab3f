package dev.dxreactor.hbtp;

import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.WorkerStrategy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client to server to client over loopback, for every combination of compressed, encrypted and fragmented:
 * the bytes that come back are the bytes sent. One connection per combination, made on first use.
 */
class HbtpRoundTripPropertyTest {

    private static final int ECHO = 1;
    /** The smallest frame HELLO allows, so anything longer than a few dozen bytes is fragmented. */
    private static final int SMALL_FRAMES = HbtpHello.MIN_FRAME_LENGTH;

    private static final Map<String, Connection> CONNECTIONS = new ConcurrentHashMap<>();
    private static final List<AutoCloseable> RESOURCES = new ArrayList<>();
    private static DxReactor reactor;

    private record Connection(HbtpClient client, AtomicInteger compressedAtServer) {
    }

    @Property(tries = 200)
    void everyCombinationReturnsTheSameBytes(@ForAll boolean compressed, @ForAll boolean encrypted,
                                             @ForAll boolean fragmented, @ForAll("messages") byte[] message)
            throws Exception {
        Connection connection = connection(compressed, encrypted, fragmented);
        int compressedBefore = connection.compressedAtServer().get();

        ByteBuf answer = connection.client().call(ECHO, Unpooled.wrappedBuffer(message)).get(30, TimeUnit.SECONDS);
        try {
            assertThat(HbtpFrameCodecTest.bytes(answer)).isEqualTo(message);
        } finally {
            answer.release();
        }
        assertThat(connection.client().capabilities() & HbtpCapabilities.ENCRYPTION)
                .isEqualTo(encrypted ? HbtpCapabilities.ENCRYPTION : 0);
        // The call is compressed exactly when compressing its body (route, then message) pays.
        boolean pays = compressed && compressionPays(message);
        assertThat(connection.compressedAtServer().get() - compressedBefore).isEqualTo(pays ? 1 : 0);
    }

    @Provide
    Arbitrary<byte[]> messages() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<byte[]> repetitive = Arbitraries.integers().between(0, 6000).flatMap(size ->
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12).map(unit -> repeat(unit, size)));
        return Arbitraries.oneOf(random, repetitive);
    }

    private static byte[] repeat(String unit, int size) {
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = (byte) unit.charAt(i % unit.length());
        }
        return out;
    }

    private static boolean compressionPays(byte[] message) {
        ByteBuf body = Unpooled.buffer().writeShortLE(ECHO).writeBytes(message);
        ByteBuf compressed = HbtpCompression.compress(ByteBufAllocator.DEFAULT, body, 1);
        if (compressed == null) {
            return false;
        }
        compressed.release();
        return true;
    }

    private static synchronized Connection connection(boolean compressed, boolean encrypted, boolean fragmented)
            throws InterruptedException {
        String key = compressed + "/" + encrypted + "/" + fragmented;
        Connection existing = CONNECTIONS.get(key);
        if (existing != null) {
            return existing;
        }
        if (reactor == null) {
            reactor = DxReactor.builder().transport("nio").workers(WorkerStrategy.fixed(2)).build();
            RESOURCES.add(reactor);
        }
        AtomicInteger compressedAtServer = new AtomicInteger();
        int threshold = compressed ? 1 : 0;
        int frameLength = fragmented ? SMALL_FRAMES : HbtpFrameCodec.DEFAULT_MAX_FRAME_LENGTH;
        HbtpServerConfig server = HbtpServerConfig.builder()
                .router(new HbtpRouter().route(ECHO, call -> call.payload().retain()))
                .compressionThreshold(threshold).maxFrameLength(frameLength)
                .encryption(encrypted ? HbtpEncryptionMode.REQUIRED : HbtpEncryptionMode.OFF)
                .middleware(() -> new CompressedCounter(compressedAtServer))
                .build();
        Channel listener = reactor.serverBootstrap().childHandler(new HbtpServerInitializer(server))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        RESOURCES.add(() -> listener.close().sync());
        HbtpClient client = HbtpClient.connect(listener.localAddress(), HbtpClientConfig.builder()
                .compressionThreshold(threshold).maxFrameLength(frameLength)
                .encryption(encrypted ? HbtpEncryptionMode.REQUIRED : HbtpEncryptionMode.OFF)
                .eventLoop(reactor.group(), reactor.transport().socketChannelClass())
                .build());
        RESOURCES.add(client);
        Connection connection = new Connection(client, compressedAtServer);
        CONNECTIONS.put(key, connection);
        return connection;
    }

    @AfterContainer
    static void closeAll() throws Exception {
        for (int i = RESOURCES.size() - 1; i >= 0; i--) {
            RESOURCES.get(i).close();
        }
        RESOURCES.clear();
        CONNECTIONS.clear();
        reactor = null;
    }

    /** Sits between codec and session, where a message is reassembled and opened but not yet inflated. */
    private static final class CompressedCounter extends ChannelDuplexHandler {
        private final AtomicInteger count;

        CompressedCounter(AtomicInteger count) {
            this.count = count;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HbtpFrame frame && frame.opcode() == HbtpOpcode.RPC_CALL
                    && frame.hasFlag(HbtpFlags.COMPRESSED)) {
                count.incrementAndGet();
            }
            ctx.fireChannelRead(msg);
        }
    }
}
