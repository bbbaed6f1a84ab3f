package dev.dxreactor.transport.testsuite;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketShutdownOutputByPeerTest;

import java.util.List;

/** Netty's {@link SocketShutdownOutputByPeerTest} on the server side of every available transport. */
class DxSocketShutdownOutputByPeerTest extends SocketShutdownOutputByPeerTest {
    @Override
    protected List<TestsuitePermutation.BootstrapFactory<ServerBootstrap>> newFactories() {
        return DxSocketTestPermutation.INSTANCE.serverSocket();
    }
}
