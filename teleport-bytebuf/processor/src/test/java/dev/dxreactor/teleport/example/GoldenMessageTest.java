package dev.dxreactor.teleport.example;

import dev.dxreactor.teleport.TeleportBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checked-in bytes of example messages: any change to the format, the layout rules or the writer shows up
 * here as a failing test and a reviewed change of the {@code .hex} file. The files hold hex with comments
 * ({@code #}) and line breaks at each part of the message.
 */
class GoldenMessageTest {

    static final User USER = new User(0x0102030405060708L, 36, true, "Ada", "ada@example.com",
            List.of(new Address("Main", "10115", 12, (short) 3)), new Address("Home", null, 1, (short) -1),
            Role.WRITER, (byte) -1, (short) 0x1234, 'é', 1.0f, -2.0, new byte[]{(byte) 0xCA, (byte) 0xFE},
            new int[]{1, -1}, new long[]{Long.MIN_VALUE}, new boolean[]{true, false}, new short[]{-2},
            new char[]{'Z'}, new float[]{0.5f}, new double[]{0.25});

    private final TeleportBuffer out = TeleportBuffer.allocate(ByteBufAllocator.DEFAULT);

    @AfterEach
    void release() {
        out.release();
    }

    @Test
    void userMatchesItsGoldenBytes() throws IOException {
        UserTeleport.write(out, USER);
        assertGolden("user.hex", out.finish(), wire -> assertThat(UserView.wrap(wire).toRecord())
                .usingRecursiveComparison().isEqualTo(USER));
    }

    @Test
    void addressMatchesItsGoldenBytes() throws IOException {
        Address address = new Address("Grüner Weg", "", 7, (short) 0);
        AddressTeleport.write(out, address);
        assertGolden("address.hex", out.finish(), wire -> assertThat(AddressView.wrap(wire).toRecord())
                .isEqualTo(address));
    }

    private static void assertGolden(String name, ByteBuf written, Consumer<ByteBuf> read)
            throws IOException {
        ByteBuf golden = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(load(name)));
        try {
            assertThat(ByteBufUtil.hexDump(written)).as("bytes written vs golden " + name)
                    .isEqualTo(ByteBufUtil.hexDump(golden));
            read.accept(golden);
        } finally {
            written.release();
            golden.release();
        }
    }

    private static String load(String name) throws IOException {
        try (InputStream in = GoldenMessageTest.class.getResourceAsStream("/dev/dxreactor/teleport/golden/" + name)) {
            if (in == null) {
                throw new IOException("missing golden file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(line -> line.replaceAll("#.*", "").replaceAll("\\s", ""))
                    .collect(Collectors.joining());
        }
    }
}
