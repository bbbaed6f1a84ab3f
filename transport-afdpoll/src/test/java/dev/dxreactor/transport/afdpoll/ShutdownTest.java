package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.WindowsKernel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@EnabledOnOs(value = OS.LINUX, disabledReason = "injects faults and reads counters of the emulated kernel")
class ShutdownTest {

    @Test
    void shuttingDownClosesEveryChannelAndDrainsEveryPollBeforeFreeingItsMemory() throws Exception {
        EmulatedWindowsKernel kernel = (EmulatedWindowsKernel) WindowsKernel.current();
        int violationsBefore = kernel.memoryViolations().size();
        MultiThreadIoEventLoopGroup group = Loopback.group(2, AfdPollConfig.defaults());
        Channel server = Loopback.server(group, EchoClient.echoServer(), true);
        List<Channel> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(Loopback.client(group, server, new ChannelInboundHandlerAdapter()));
        }
        for (Channel client : clients) {
            Loopback.until(() -> Loopback.armedMask(client) != 0, 10);
        }
        // Packets withheld at shutdown: destroy must wait for them rather than free the memory under them.
        kernel.faults().delayNextCompletion(2);

        assertThat(group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(server.isOpen()).isFalse();
        assertThat(clients).noneMatch(Channel::isOpen);
        assertThat(kernel.memoryViolations()).hasSize(violationsBefore);
    }
}
