package dev.dxreactor.examples.hbtp;

import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpEncryptionMode;
import dev.dxreactor.hbtp.HbtpRpcException;
import dev.dxreactor.hbtp.HbtpSubscription;
import dev.dxreactor.hbtp.HbtpTopicListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Talks to {@link HbtpExampleServer} over HBTP's own encryption: calls each route, sends an event, and watches
 * the ticker for a few seconds. Arguments: {@code [port] [host] [seconds]} (port first, like the servers).
 */
public final class HbtpExampleClient {

    private HbtpExampleClient() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0].trim())
                : HbtpExampleServer.DEFAULT_PORT;
        String host = args.length > 1 && !args[1].isBlank() ? args[1] : "localhost";
        int seconds = args.length > 2 && !args[2].isBlank() ? Integer.parseInt(args[2]) : 3;
        run(new InetSocketAddress(host, port), System.out, Duration.ofSeconds(seconds));
    }

    /** One session against the server at {@code address}, narrated on {@code out}. */
    public static void run(InetSocketAddress address, PrintStream out, Duration watchTicker) throws Exception {
        HbtpClientConfig config = HbtpClientConfig.builder().encryption(HbtpEncryptionMode.REQUIRED).build();
        try (HbtpClient client = HbtpClient.connect(address, config)) {
            out.println("connected to " + address + ", limits " + client.serverHello());
            out.println("echo  -> " + call(client, HbtpExampleServer.ROUTE_ECHO, "hello, HBTP"));
            out.println("time  -> " + call(client, HbtpExampleServer.ROUTE_TIME, ""));
            out.println("sum   -> " + call(client, HbtpExampleServer.ROUTE_SUM, "1, 2, 39"));
            out.println("sum   -> " + call(client, HbtpExampleServer.ROUTE_SUM, "one, two"));

            client.onServerEvent(HbtpExampleServer.EVENT_NOTICE,
                    (event, payload) -> out.println("event <- " + payload.toString(StandardCharsets.UTF_8)));
            client.sendEvent(HbtpExampleServer.EVENT_HELLO, Unpooled.copiedBuffer("example client", StandardCharsets.UTF_8));

            try (HbtpSubscription ignored = client.subscribe(HbtpExampleServer.TOPIC_TICKER, new HbtpTopicListener() {
                @Override
                public void onSync(int topic, long version, ByteBuf state) {
                    out.println("ticker v" + version + " state " + state.toString(StandardCharsets.UTF_8));
                }

                @Override
                public void onDelta(int topic, long base, long version, ByteBuf delta) {
                    out.println("ticker v" + base + " -> v" + version + " " + delta.toString(StandardCharsets.UTF_8));
                }
            })) {
                Thread.sleep(watchTicker.toMillis());
            }
        }
        out.println("closed");
    }

    private static String call(HbtpClient client, int route, String request) throws InterruptedException {
        try {
            ByteBuf answer = client.call(route, Unpooled.copiedBuffer(request, StandardCharsets.UTF_8))
                    .get(10, TimeUnit.SECONDS);
            try {
                return answer.toString(StandardCharsets.UTF_8);
            } finally {
                answer.release();
            }
        } catch (ExecutionException e) {
            return e.getCause() instanceof HbtpRpcException rpc ? "error " + rpc : "failed: " + e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            return "no answer within 10 s";
        }
    }
}
