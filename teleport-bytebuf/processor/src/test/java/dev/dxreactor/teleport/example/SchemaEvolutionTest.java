package dev.dxreactor.teleport.example;

import dev.dxreactor.teleport.TeleportBuffer;
import dev.dxreactor.teleport.TeleportHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A reader of version 1 reads version-2 messages, and a reader of version 2 reads version-1 messages. */
class SchemaEvolutionTest {

    private final TeleportBuffer out = TeleportBuffer.allocate(ByteBufAllocator.DEFAULT);

    @AfterProperty
    void release() {
        out.release();
    }

    @Property(tries = 150)
    void anOldReaderSkipsAppendedComponents(@ForAll("v2") ProfileV2 profile) {
        ProfileV2Teleport.write(out, profile);
        ByteBuf wire = out.finish();
        try {
            ProfileV1View old = ProfileV1View.wrap(wire);
            assertThat(old.messageVersion()).isEqualTo(2);
            assertThat(old.toRecord()).usingRecursiveComparison()
                    .isEqualTo(new ProfileV1(profile.id(), profile.nick(), profile.places()));
        } finally {
            wire.release();
        }
    }

    @Property(tries = 150)
    void aNewReaderReadsDefaultsForWhatAnOldWriterDidNotHave(@ForAll("v1") ProfileV1 profile) {
        ProfileV1Teleport.write(out, profile);
        ByteBuf wire = out.finish();
        try {
            ProfileV2View current = ProfileV2View.wrap(wire);
            assertThat(current.messageVersion()).isEqualTo(1);
            assertReadsAsVersion1(current, profile);
        } finally {
            wire.release();
        }
    }

    @Property(tries = 100)
    void aNewReaderOfANewMessageHasEverything(@ForAll("v2") ProfileV2 profile) {
        ProfileV2Teleport.write(out, profile);
        ByteBuf wire = out.finish();
        try {
            ProfileV2View current = ProfileV2View.wrap(wire);
            assertThat(List.of(current.hasKarma(), current.hasBio(), current.hasFavourites(), current.hasRole(),
                    current.hasHome(), current.hasEmergency(), current.hasLocation(), current.hasAvatar(),
                    current.hasScores())).containsOnly(true);
            assertThat(current.home().toRecord()).isEqualTo(profile.home());
            assertThat(current.emergency().address().toRecord()).isEqualTo(profile.emergency().address());
            assertThat(current.toRecord()).usingRecursiveComparison().isEqualTo(profile);
        } finally {
            wire.release();
        }
    }

    /**
     * An old writer's message that ends where its buffer's readable bytes end, the way the last message of a
     * read arrives: the memory after it holds other data (in a pooled buffer, other connections' bytes), or
     * nothing at all. What the message does not have must read as absent whatever follows it; with the
     * message at the very end of a heap array, a read beyond it would also throw.
     */
    @Property(tries = 300)
    void anOldWritersMessageIsReadOnlyWithinItsBytesWhateverFollowsIt(
            @ForAll("v1") ProfileV1 profile, @ForAll @Size(max = 200) byte[] following,
            @ForAll @IntRange(max = 20) int before, @ForAll boolean direct) {
        ProfileV1Teleport.write(out, profile);
        ByteBuf message = out.finish();
        ByteBuf frame = frame(message, before, following, direct);
        try {
            ProfileV2View current = ProfileV2View.wrap(frame, before);
            assertReadsAsVersion1(current, profile);
        } finally {
            message.release();
            frame.release();
        }
    }

    /**
     * The bytes after an old writer's message are crafted so that reading the appended inline structs where
     * a version-2 block would have them finds string references into those bytes, pointing at text that is
     * not the message's. None of it may be read.
     */
    @Example
    void hostileBytesAfterAnOldWritersMessageAreNotReadAsItsAppendedStructs() {
        ProfileV1 profile = new ProfileV1(42, null, List.of());
        ProfileV1Teleport.write(out, profile);
        ByteBuf message = out.finish();
        int length = message.readableBytes();
        // Positions in the bytes after the message: where a version-2 block would start, and where it would
        // end, past which lies the secret.
        int block = TeleportHeader.SIZE - length;
        int secretAt = block + ProfileV2Layout.BLOCK_LENGTH;
        byte[] secret = "pin 4921 of another connection".getBytes(StandardCharsets.US_ASCII);
        // The message's string table is empty and ends the message: a string reference (offset, n) reaches the
        // n bytes at that offset after the message. A slice reference counts from the message start.
        long stringOfSecret = (long) secret.length << 32 | secretAt;
        long sliceOfSecret = (long) secret.length << 32 | (length + secretAt);
        ByteBuf following = Unpooled.buffer(secretAt + secret.length);
        following.writerIndex(secretAt).writeBytes(secret);
        int home = block + ProfileV2Layout.HOME_OFFSET;
        int emergency = block + ProfileV2Layout.EMERGENCY_OFFSET;
        following.setLongLE(home + AddressLayout.STREET_OFFSET, stringOfSecret)
                .setLongLE(home + AddressLayout.ZIP_OFFSET, stringOfSecret)
                .setLongLE(emergency + ContactLayout.NAME_OFFSET, stringOfSecret)
                .setLongLE(emergency + ContactLayout.ADDRESS_OFFSET + AddressLayout.STREET_OFFSET, stringOfSecret)
                .setDoubleLE(block + ProfileV2Layout.LOCATION_OFFSET, 52.52)
                .setLongLE(block + ProfileV2Layout.AVATAR_OFFSET, sliceOfSecret)
                .setLongLE(block + ProfileV2Layout.SCORES_OFFSET, sliceOfSecret)
                .setLongLE(block + ProfileV2Layout.FAVOURITES_OFFSET, sliceOfSecret)
                .setLongLE(block + ProfileV2Layout.BIO_OFFSET, stringOfSecret);
        ByteBuf frame = frame(message, 7, ByteBufUtil.getBytes(following), true);
        try {
            ProfileV2View current = ProfileV2View.wrap(frame, 7);
            assertThat(current.hasHome()).isFalse();
            assertThat(current.home()).isNull();
            assertThat(current.hasEmergency()).isFalse();
            assertThat(current.emergency()).isNull();
            assertThat(current.hasLocation()).isFalse();
            assertThat(current.location()).isNull();
            assertReadsAsVersion1(current, profile);
        } finally {
            message.release();
            following.release();
            frame.release();
        }
    }

    /**
     * {@code message} at {@code before} of a buffer whose readable bytes end with it, and {@code following}
     * in the memory after them; a heap frame's array ends with {@code following}.
     */
    private static ByteBuf frame(ByteBuf message, int before, byte[] following, boolean direct) {
        int length = message.readableBytes();
        int capacity = before + length + following.length;
        ByteBuf frame = direct ? ByteBufAllocator.DEFAULT.directBuffer(capacity) : Unpooled.wrappedBuffer(
                new byte[capacity]).clear();
        frame.writeZero(before).writeBytes(message, message.readerIndex(), length)
                .setBytes(before + length, following);
        return frame;
    }

    /** Every accessor of what version 2 appended answers as absent, and the rest as {@code profile}. */
    static void assertReadsAsVersion1(ProfileV2View current, ProfileV1 profile) {
        assertThat(List.of(current.hasKarma(), current.hasBio(), current.hasFavourites(), current.hasRole(),
                current.hasHome(), current.hasEmergency(), current.hasLocation(), current.hasAvatar(),
                current.hasScores())).containsOnly(false);
        assertThat(current.karma()).isZero();
        assertThat(current.bio()).isNull();
        assertThat(current.bioUtf8()).isNull();
        assertThat(current.bioText()).isNull();
        assertThat(current.favourites().isEmpty()).isTrue();
        assertThat(current.role()).isNull();
        assertThat(current.home()).isNull();
        assertThat(current.emergency()).isNull();
        assertThat(current.location()).isNull();
        assertThat(current.avatar().readableBytes()).isZero();
        assertThat(current.avatarLength()).isZero();
        assertThat(current.scoresLength()).isZero();
        assertThatThrownBy(() -> current.scores(0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(current.toRecord()).usingRecursiveComparison()
                .isEqualTo(new ProfileV2(profile.id(), profile.nick(), profile.places(), 0, null, List.of(), null,
                        null, null, null, new byte[0], new int[0]));
    }

    @Provide
    Arbitrary<ProfileV1> v1() {
        return Combinators.combine(Arbitraries.longs(), text(), addresses()).as(ProfileV1::new);
    }

    @Provide
    Arbitrary<ProfileV2> v2() {
        Arbitrary<Contact> contacts = Combinators.combine(text(), address()).as(Contact::new);
        Arbitrary<GeoPoint> points = Combinators.combine(Arbitraries.doubles(), Arbitraries.doubles())
                .as(GeoPoint::new);
        Arbitrary<ProfileV1> first = v1();
        Arbitrary<ProfileV2> appendedBeforeStructs = Combinators.combine(first, Arbitraries.integers(), text(),
                addresses(), Arbitraries.of(Role.class)).as((p, karma, bio, favourites, role) -> new ProfileV2(
                p.id(), p.nick(), p.places(), karma, bio, favourites, role, null, null, null, null, null));
        return Combinators.combine(appendedBeforeStructs, address(), contacts, points,
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20),
                Arbitraries.integers().array(int[].class).ofMaxSize(20)).as((p, home, emergency, location, avatar,
                scores) -> new ProfileV2(p.id(), p.nick(), p.places(), p.karma(), p.bio(), p.favourites(), p.role(),
                home, emergency, location, avatar, scores));
    }

    private static Arbitrary<String> text() {
        return Arbitraries.strings().alpha().numeric().ofMaxLength(30).injectNull(0.1);
    }

    private static Arbitrary<Address> address() {
        return Combinators.combine(text(), text(), Arbitraries.integers(), Arbitraries.shorts()).as(Address::new);
    }

    private static Arbitrary<List<Address>> addresses() {
        return address().list().ofMaxSize(6);
    }
}
