package dev.dxreactor.examples.echo;

import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.WorkerStrategy;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class EchoServerTest {

    @Test
    void echoesWhatAPlainSocketSends() throws Exception {
        try (DxReactor reactor = DxReactor.builder().workers(WorkerStrategy.fixed(2)).build()) {
            Channel server = EchoServer.start(reactor, new InetSocketAddress("127.0.0.1", 0));
            try (Socket socket = new Socket()) {
                socket.connect(server.localAddress(), 5000);
                socket.setSoTimeout(5000);
                byte[] sent = "hello, dx-reactor".getBytes(StandardCharsets.UTF_8);
                OutputStream out = socket.getOutputStream();
                out.write(sent);
                out.flush();
                InputStream in = socket.getInputStream();
                assertThat(in.readNBytes(sent.length)).isEqualTo(sent);
            } finally {
                server.close().sync();
            }
        }
    }
}
