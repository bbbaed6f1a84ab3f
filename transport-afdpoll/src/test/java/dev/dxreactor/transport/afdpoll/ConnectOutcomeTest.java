package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.Afd;
import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.WindowsException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** A connect's outcome comes from the poll's per-handle status, with SO_ERROR as the fallback. */
class ConnectOutcomeTest {

    private static final ConnectOutcome.SocketError NOT_ASKED = () -> {
        throw new AssertionError("SO_ERROR asked although the poll named the failure");
    };

    private static MultiThreadIoEventLoopGroup group;

    @BeforeAll
    static void start() {
        group = Loopback.group(1, AfdPollConfig.defaults());
    }

    @AfterAll
    static void stop() {
        Loopback.shutdown(group);
    }

    @Test
    void aRefusedConnectFailsWithTheStatusThePollReported() throws Exception {
        Channel closed = Loopback.server(group, new ChannelInboundHandlerAdapter(), true);
        InetSocketAddress nobody = (InetSocketAddress) closed.localAddress();
        closed.close().sync();

        ChannelFuture connect = new Bootstrap().group(group).channel(AfdPollSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).connect(nobody).awaitUninterruptibly();

        assertThat(connect.cause()).isInstanceOf(ConnectException.class)
                .hasMessageContaining("STATUS_CONNECTION_REFUSED")
                .hasRootCauseInstanceOf(WindowsException.class);
        WindowsException reported = (WindowsException) rootCause(connect.cause());
        assertThat(reported.isNtStatus()).isTrue();
        assertThat(reported.code()).isEqualTo(NtStatus.CONNECTION_REFUSED);
        assertThat(connect.channel().closeFuture().await(10_000)).isTrue();
    }

    @Test
    void aConnectFailWhoseStatusNamesTheReasonDoesNotAskSoError() throws WindowsException {
        IOException failure = ConnectOutcome.failure(Afd.POLL_CONNECT_FAIL, NtStatus.CONNECTION_REFUSED, NOT_ASKED);
        assertThat(failure).isInstanceOf(ConnectException.class).hasMessageContaining("STATUS_CONNECTION_REFUSED");
    }

    @Test
    void aConnectFailWithASuccessStatusFallsBackToSoError() throws WindowsException {
        IOException failure = ConnectOutcome.failure(Afd.POLL_CONNECT_FAIL, NtStatus.SUCCESS,
                () -> Win32Error.WSAECONNREFUSED);
        assertThat(failure).isInstanceOf(ConnectException.class).hasMessageContaining("WSAECONNREFUSED");
        WindowsException cause = (WindowsException) failure.getCause();
        assertThat(cause.isNtStatus()).isFalse();
    }

    @Test
    void aConnectWithNoErrorSucceeds() throws WindowsException {
        assertThat(ConnectOutcome.failure(Afd.POLL_CONNECT, NtStatus.SUCCESS, () -> 0)).isNull();
    }

    @Test
    void aStatusWithoutConnectFailIsNotTakenForTheOutcome() throws WindowsException {
        IOException failure = ConnectOutcome.failure(Afd.POLL_CONNECT, NtStatus.CONNECTION_REFUSED,
                () -> Win32Error.WSAETIMEDOUT);
        assertThat(failure).isInstanceOf(ConnectException.class).hasMessageContaining("WSAETIMEDOUT");
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
