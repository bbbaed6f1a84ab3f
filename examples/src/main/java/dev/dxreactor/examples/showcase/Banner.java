package dev.dxreactor.examples.showcase;

import dev.dxreactor.examples.showcase.api.DevTokens;
import dev.dxreactor.examples.showcase.api.HbtpApi;
import dev.dxreactor.examples.showcase.messages.Item;
import dev.dxreactor.examples.showcase.messages.ItemRequest;
import dev.dxreactor.examples.showcase.messages.ItemRequestTeleport;
import dev.dxreactor.examples.showcase.store.Catalog;
import dev.dxreactor.teleport.TeleportBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.io.PrintStream;

/** What the showcase prints when it has started: what runs where, the token, and what to try next. */
final class Banner {

    private Banner() {
    }

    static void print(Showcase showcase, PrintStream out) {
        int hbtpPort = showcase.hbtpAddress().getPort();
        String host = showcase.httpAddress().getHostString();
        String api = "http://" + host + ":" + showcase.httpAddress().getPort() + "/api";
        out.println();
        out.println("dx-reactor showcase: a live price board (" + Catalog.SEED_ITEMS + " items in "
                + Catalog.CATEGORIES.size() + " categories)");
        out.println("  transport  " + showcase.reactor().transport().name() + ", " + showcase.reactor().workerCount()
                + " event loop threads (one per core unless showcase.workers)");
        out.println("  database   " + (showcase.database().isEmbedded() ? "embedded PostgreSQL at " : "")
                + showcase.database().url());
        out.println("  HBTP       " + host + ":" + hbtpPort + "   routes 1 item, 2 category, 3 price; topics 1.."
                + Catalog.CATEGORIES.size() + " = " + Catalog.CATEGORIES);
        out.println("  HTTP       " + api + "   GET /items/{id}, GET /categories/{name}/items, POST /items/{id}/price");
        out.println("  board      http://" + host + ":" + showcase.httpAddress().getPort()
                + "/board/#token=" + showcase.token() + "   live over HBTP/WebSocket at /hbtp");
        out.println("  ops        " + "http://" + host + ":" + showcase.httpAddress().getPort()
                + "/metrics (Prometheus), /health/live, /health/ready");
        out.println("  token      HS256, audience " + DevTokens.AUDIENCE + ", valid 12 h (requests without it: 401)");
        out.println();
        out.println("export TOKEN=" + showcase.token());
        out.println();
        out.println("Try next, from another terminal (after the export above):");
        out.println("  curl -si -H \"Authorization: Bearer $TOKEN\" " + api + "/items/42");
        out.println("  curl -si -X POST -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\");
        out.println("       -d '{\"priceCents\":1299,\"stock\":7}' " + api + "/items/42/price");
        out.println("  echo " + itemRequestHex(42) + " | xxd -r -p | java -jar cli/target/hbtp.jar call "
                + HbtpApi.ROUTE_ITEM + " - --port " + hbtpPort + " -m \"auth=Bearer $TOKEN\" \\");
        out.println("       --type " + Item.class.getName() + " --class-path examples/target/classes");
        out.println("  mvn -B -q -pl examples exec:exec -Dexample.main=" + ShowcaseClient.class.getName()
                + " -Dshowcase.hbtp.port=" + hbtpPort + " -Dshowcase.token=$TOKEN");
        if (showcase.database().isEmbedded()) {
            out.println("A second instance on the same database (a fleet of two):");
            out.println("  DX_PG_URL=" + showcase.database().url() + " mvn -B -q -pl examples exec:exec"
                    + " -Dshowcase.hbtp.port=7009 -Dshowcase.http.port=8081");
        }
        out.println("Ctrl-C or SIGTERM stops it: running calls finish first (exit 0), or are cut off after"
                + " showcase.shutdown.grace (exit 1).");
        out.println();
        out.flush();
    }

    /** An {@code ItemRequest} message in hex, as a client that has no teleport classes would send it. */
    static String itemRequestHex(long id) {
        TeleportBuffer writer = TeleportBuffer.allocate(UnpooledByteBufAllocator.DEFAULT);
        ItemRequestTeleport.write(writer, new ItemRequest(id));
        ByteBuf message = writer.finish();
        try {
            return ByteBufUtil.hexDump(message);
        } finally {
            message.release();
        }
    }
}
