package dev.dxreactor.teleport.example;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dxreactor.teleport.TeleportBuffer;
import dev.dxreactor.teleport.TeleportFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arbitrary bytes as a {@link User} message and as a {@link ProfileV2} message (a type that grew: inline
 * structs among its appended components): {@code wrap} either refuses them with
 * {@link TeleportFormatException} or every accessor of the view, nested views and list elements included,
 * then reads without any exception, and an appended component reads as present exactly when the block has
 * it. The same bytes also follow a {@link ProfileV1} writer's message at the end of its buffer, which the
 * version-2 view must read without reaching them. Seeds (valid messages to mutate from) are under
 * {@code src/test/resources/dev/dxreactor/teleport/example/TeleportViewFuzzTestInputs/wrapAndReadEverything/}.
 */
class TeleportViewFuzzTest {

    @FuzzTest
    void wrapAndReadEverything(byte[] data) {
        // Direct and at an offset, as a message inside a larger read buffer arrives.
        ByteBuf buf = Unpooled.directBuffer(data.length + 3).writeZero(3).writeBytes(data);
        try {
            boolean validateUtf8 = (data.length & 1) == 0;
            UserView user = wrapOrNull(() -> new UserView().validateUtf8(validateUtf8).rewrap(buf, 3));
            if (user != null) {
                readEverything(user);
            }
            ProfileV2View profile = wrapOrNull(() -> new ProfileV2View().validateUtf8(validateUtf8).rewrap(buf, 3));
            if (profile != null) {
                readEverything(profile);
            }
        } finally {
            buf.release();
        }
        readAnOldWritersMessageFollowedBy(data);
    }

    private static <V> V wrapOrNull(Supplier<V> wrap) {
        try {
            return wrap.get();
        } catch (TeleportFormatException refused) {
            return null;
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

    static void readEverything(ProfileV2View view) {
        view.toRecord();
        view.nickUtf8();
        MalformedMessageTest.readText(view.nickText());
        view.bioUtf8();
        MalformedMessageTest.readText(view.bioText());
        assertThat(view.home() != null).isEqualTo(view.hasHome());
        assertThat(view.emergency() != null).isEqualTo(view.hasEmergency());
        assertThat(view.location() != null).isEqualTo(view.hasLocation());
        if (view.hasHome()) {
            MalformedMessageTest.readText(view.home().streetText());
            view.home().zipUtf8();
        }
        if (view.hasEmergency()) {
            MalformedMessageTest.readText(view.emergency().nameText());
            MalformedMessageTest.readText(view.emergency().address().streetText());
            view.emergency().address().zipUtf8();
        }
        AddressView.Slice favourites = view.favourites();
        for (int i = 0; i < favourites.size(); i++) {
            MalformedMessageTest.readText(favourites.get(i).streetText());
        }
        view.avatar();
        for (int i = 0; i < view.scoresLength(); i++) {
            view.scores(i);
        }
    }

    /**
     * A version-1 message (made from {@code data}) that ends where its pooled buffer's readable bytes end, with
     * {@code data} in the memory after it: the version-2 view reads everything appended as absent.
     */
    private static void readAnOldWritersMessageFollowedBy(byte[] data) {
        String nick = data.length == 0 ? null
                : new String(data, 0, Math.min(data.length, 40), StandardCharsets.ISO_8859_1);
        List<Address> places = (data.length & 2) == 0 ? List.of()
                : List.of(new Address(nick, null, data.length, (short) 0));
        ProfileV1 old = new ProfileV1(data.length, nick, places);
        TeleportBuffer out = TeleportBuffer.allocate(ByteBufAllocator.DEFAULT);
        ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer();
        try {
            ProfileV1Teleport.write(out, old);
            int at = (data.length & 4) == 0 ? 0 : 5;
            frame.writeZero(at);
            out.finishInto(frame);
            frame.ensureWritable(data.length).setBytes(frame.writerIndex(), data);
            SchemaEvolutionTest.assertReadsAsVersion1(ProfileV2View.wrap(frame, at), old);
        } finally {
            frame.release();
            out.release();
        }
    }
}
