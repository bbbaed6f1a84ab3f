package dev.dxreactor.examples.web;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PageFilesTest {

    private final PageFiles files = new PageFiles("dev/dxreactor/examples/", "devserver");

    @Test
    void aNamedFolderIsServedAtAnyDepthAndNoOtherFolderIs() {
        assertThat(status("devserver/web/reload.css")).isEqualTo(200);
        assertThat(status("showcase/web/board.css")).as("a folder not named").isEqualTo(404);
        assertThat(status("devserver/../showcase/web/board.css")).isEqualTo(404);
        assertThat(status("devserver/web/../web/reload.css")).isEqualTo(404);
        assertThat(files.kept()).isEqualTo(1);
    }

    @Test
    void theHbtpClientIsServedFromWhereTheBuildPutsItForEveryPage() {
        assumeTrue(getClass().getClassLoader().getResource(PageFiles.HBTP_CLIENT + "index.js") != null,
                "the HBTP TypeScript client was not compiled (no npm at build time): skipped");
        FullHttpResponse client = files.answer(ByteBufAllocator.DEFAULT, "hbtp/index.js");
        assertThat(client.status().code()).isEqualTo(200);
        assertThat(client.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/javascript");
        client.release();
        assertThat(files.has("hbtp/index.js")).isTrue();
        assertThat(files.has("hbtp/../hbtp/index.js")).isFalse();
    }

    private int status(String name) {
        FullHttpResponse response = files.answer(ByteBufAllocator.DEFAULT, name);
        try {
            return response.status().code();
        } finally {
            response.release();
        }
    }
}
