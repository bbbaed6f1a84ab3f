package dev.dxreactor.transport.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketGatheringWriteTest;

import java.util.List;

/** Netty's {@link SocketGatheringWriteTest} on every pair of available transports. */
class DxSocketGatheringWriteTest extends SocketGatheringWriteTest {
    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return DxSocketTestPermutation.INSTANCE.socket();
    }
}
