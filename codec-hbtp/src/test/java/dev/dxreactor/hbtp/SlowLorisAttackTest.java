package dev.dxreactor.hbtp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peers that start a frame or a fragmented message and never finish it, so as to pin buffers forever; and
 * more connections than the server takes.
 */
class SlowLorisAttackTest {

    private static final Duration FRAME_TIMEOUT = Duration.ofMillis(300);

    private HostileServer server;

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    private void serve(HbtpServerConfig.Builder config) throws InterruptedException {
        server = new HostileServer(config.router(new HbtpRouter().route(1, call -> call.payload().retain()))
                .idleTimeout(Duration.ZERO).build());
    }

    @Test
    void aFrameThatNeverCompletesClosesWith1001() throws Exception {
        serve(HbtpServerConfig.builder().frameTimeout(FRAME_TIMEOUT));
        try (RawPeer peer = new RawPeer(server.address())) {
            peer.handshake(HbtpCapabilities.METADATA);
            byte[] call = RawPeer.call(1, 1, new byte[500_000]);
            peer.send(Arrays.copyOf(call, 1_000));
            RawPeer.Frame close = peer.readUntilClose();
            assertThat(close.closeCode()).isEqualTo(HbtpCloseCode.GOING_AWAY);
            assertThat(close.closeReason()).contains("frame not completed");
        }
    }

    @Test
    void bytesTrickledInDoNotRestartTheClock() throws Exception {
        serve(HbtpServerConfig.builder().frameTimeout(FRAME_TIMEOUT));
        try (RawPeer peer = new RawPeer(server.address())) {
            peer.handshake(HbtpCapabilities.METADATA);
            byte[] call = RawPeer.call(1, 1, new byte[100]);
            // One byte at a time, each well within the timeout: the frame as a whole still is not.
            for (int i = 0; i < call.length - 1 && !peer.heardFromServerWithin(Duration.ofMillis(50)); i++) {
                peer.send(new byte[]{call[i]});
            }
            RawPeer.Frame close = peer.readUntilClose();
            assertThat(close.closeCode()).isEqualTo(HbtpCloseCode.GOING_AWAY);
        }
    }

    @Test
    void aFragmentedMessageThatNeverEndsClosesWith1001() throws Exception {
        serve(HbtpServerConfig.builder().frameTimeout(FRAME_TIMEOUT));
        try (RawPeer peer = new RawPeer(server.address())) {
            peer.handshake(HbtpCapabilities.METADATA);
            // Whole frames, each one complete, of a message whose FINAL frame never comes.
            peer.send(RawPeer.frame(HbtpOpcode.RPC_CALL, HbtpFlags.EXPECTS_RESPONSE, 1, new byte[]{1, 0, 9}));
            RawPeer.Frame close = peer.readUntilClose();
            assertThat(close.closeCode()).isEqualTo(HbtpCloseCode.GOING_AWAY);
        }
    }

    @Test
    void completeFramesKeepTheConnectionAlive() throws Exception {
        serve(HbtpServerConfig.builder().frameTimeout(FRAME_TIMEOUT));
        try (RawPeer peer = new RawPeer(server.address())) {
            peer.handshake(HbtpCapabilities.METADATA);
            for (int i = 0; i < 5; i++) {
                Thread.sleep(FRAME_TIMEOUT.toMillis());
                peer.send(RawPeer.call(i, 1, new byte[]{(byte) i}));
                RawPeer.Frame answer = peer.read();
                assertThat(answer.is(HbtpOpcode.RPC_RESPONSE)).isTrue();
                assertThat(answer.payload()).containsExactly(i);
            }
        }
    }

    @Test
    void connectionsBeyondMaxConnectionsAreRefusedWith1008AndTheSlotComesBack() throws Exception {
        serve(HbtpServerConfig.builder().maxConnections(3));
        List<RawPeer> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawPeer peer = new RawPeer(server.address());
                peers.add(peer);
                peer.handshake(HbtpCapabilities.METADATA);
            }
            try (RawPeer extra = new RawPeer(server.address())) {
                RawPeer.Frame close = extra.readUntilClose();
                assertThat(close.closeCode()).isEqualTo(HbtpCloseCode.POLICY);
                assertThat(close.closeReason()).isEqualTo("too many connections");
            }
            peers.remove(0).close();
            RawPeer again = awaitAccepted();
            peers.add(again);
        } finally {
            for (RawPeer p : peers) {
                p.close();
            }
        }
    }

    /** A new connection, once the server has noticed a closed one: it may take a moment to see the close. */
    private RawPeer awaitAccepted() throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            RawPeer peer = new RawPeer(server.address());
            peer.send(RawPeer.frame(HbtpOpcode.HELLO, HbtpFlags.FINAL, 0, RawPeer.helloBody(HbtpCapabilities.METADATA)));
            RawPeer.Frame first = peer.read();
            if (first != null && first.is(HbtpOpcode.HELLO_ACK)) {
                return peer;
            }
            peer.close();
            Thread.sleep(50);
        }
        throw new AssertionError("no connection accepted after one closed");
    }
}
