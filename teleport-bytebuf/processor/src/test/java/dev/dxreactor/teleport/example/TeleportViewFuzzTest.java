package dev.dxreactor.teleport.example;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dxreactor.teleport.TeleportFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Arbitrary bytes as a {@link User} message: {@code wrap} either refuses them with
 * {@link TeleportFormatException} or every accessor of the view, nested views and list elements included,
 * then reads without any exception. Seeds (valid messages to mutate from) are under
 * {@code src/test/resources/dev/dxreactor/teleport/example/TeleportViewFuzzTestInputs/wrapAndReadEverything/}.
 */
class TeleportViewFuzzTest {

    @FuzzTest
    void wrapAndReadEverything(byte[] data) {
        // Direct and at an offset, as a message inside a larger read buffer arrives.
        ByteBuf buf = Unpooled.directBuffer(data.length + 3).writeZero(3).writeBytes(data);
        try {
            UserView view;
            try {
                view = new UserView().validateUtf8((data.length & 1) == 0).rewrap(buf, 3);
            } catch (TeleportFormatException refused) {
                return;
            }
            readEverything(view);
        } finally {
            buf.release();
        }
    }

    static void readEverything(UserView view) {
        view.toRecord();
        view.nameUtf8();
        view.emailUtf8();
        MalformedMessageTest.readText(view.nameText());
        MalformedMessageTest.readText(view.emailText());
        view.home().streetUtf8();
        MalformedMessageTest.readText(view.home().streetText());
        AddressView.Slice addresses = view.addresses();
        for (int i = 0; i < addresses.size(); i++) {
            addresses.get(i).zipUtf8();
            MalformedMessageTest.readText(addresses.get(i).zipText());
        }
        view.avatarLength();
        view.messageVersion();
    }
}
