package dev.dxreactor.teleport.example;

import dev.dxreactor.teleport.TeleportBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
            assertThat(current.hasKarma()).isFalse();
            assertThat(current.hasBio()).isFalse();
            assertThat(current.hasFavourites()).isFalse();
            assertThat(current.hasRole()).isFalse();
            assertThat(current.karma()).isZero();
            assertThat(current.bio()).isNull();
            assertThat(current.bioUtf8()).isNull();
            assertThat(current.bioText()).isNull();
            assertThat(current.favourites().isEmpty()).isTrue();
            assertThat(current.role()).isNull();
            assertThat(current.toRecord()).usingRecursiveComparison()
                    .isEqualTo(new ProfileV2(profile.id(), profile.nick(), profile.places(), 0, null,
                            List.of(), null));
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
            assertThat(current.hasKarma() && current.hasBio() && current.hasFavourites() && current.hasRole()).isTrue();
            assertThat(current.toRecord()).usingRecursiveComparison().isEqualTo(profile);
        } finally {
            wire.release();
        }
    }

    @Provide
    Arbitrary<ProfileV1> v1() {
        return Combinators.combine(Arbitraries.longs(), text(), addresses()).as(ProfileV1::new);
    }

    @Provide
    Arbitrary<ProfileV2> v2() {
        return Combinators.combine(Arbitraries.longs(), text(), addresses(), Arbitraries.integers(), text(),
                addresses(), Arbitraries.of(Role.class)).as(ProfileV2::new);
    }

    private static Arbitrary<String> text() {
        return Arbitraries.strings().alpha().numeric().ofMaxLength(30).injectNull(0.1);
    }

    private static Arbitrary<List<Address>> addresses() {
        return Combinators.combine(text(), text(), Arbitraries.integers(), Arbitraries.shorts()).as(Address::new)
                .list().ofMaxSize(6);
    }
}
