package dev.dxreactor.teleport.example;

import dev.dxreactor.teleport.TeleportBuffer;
import dev.dxreactor.teleport.TeleportHeader;
import dev.dxreactor.teleport.TeleportLayout;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Generated writer and view of {@link User} against each other, for random values of every component kind. */
class UserRoundTripTest {

    private final TeleportBuffer out = TeleportBuffer.allocate(ByteBufAllocator.DEFAULT);

    @AfterProperty
    void release() {
        out.release();
    }

    @Property(tries = 300)
    void everyComponentReadsBackAsWritten(@ForAll("users") User user) {
        UserTeleport.write(out, user);
        ByteBuf wire = out.finish();
        try {
            UserView view = UserView.wrap(wire).validateUtf8(true);
            assertThat(view.id()).isEqualTo(user.id());
            assertThat(view.age()).isEqualTo(user.age());
            assertThat(view.active()).isEqualTo(user.active());
            assertThat(view.name()).isEqualTo(user.name());
            assertThat(view.email()).isEqualTo(user.email());
            if (user.name() != null) {
                assertThat(view.nameUtf8().toString(StandardCharsets.UTF_8)).isEqualTo(user.name());
                assertThat(CharSequence.compare(view.nameText(), user.name())).isZero();
            } else {
                assertThat(view.nameText()).isNull();
            }
            assertThat(view.addresses().size()).isEqualTo(user.addresses().size());
            for (int i = 0; i < user.addresses().size(); i++) {
                AddressView address = view.addresses().get(i);
                assertThat(address.street()).isEqualTo(user.addresses().get(i).street());
                assertThat(address.zip()).isEqualTo(user.addresses().get(i).zip());
                assertThat(address.number()).isEqualTo(user.addresses().get(i).number());
            }
            assertThat(view.home().toRecord()).isEqualTo(user.home());
            assertThat(view.role()).isEqualTo(user.role());
            assertThat(view.initial()).isEqualTo(user.initial());
            assertThat(Float.floatToRawIntBits(view.score())).isEqualTo(Float.floatToRawIntBits(user.score()));
            assertThat(Double.doubleToRawLongBits(view.balance())).isEqualTo(Double.doubleToRawLongBits(user.balance()));
            assertThat(ByteBufUtil.getBytes(view.avatar())).isEqualTo(user.avatar());
            assertThat(view.friendsLength()).isEqualTo(user.friends().length);
            assertSameUser(view.toRecord(), user);
        } finally {
            wire.release();
        }
    }

    @Property(tries = 100)
    void theSameValueAlwaysGivesTheSameBytes(@ForAll("users") User user) {
        UserTeleport.write(out, user);
        ByteBuf first = out.finish();
        UserTeleport.write(out, user);
        ByteBuf second = out.finish();
        try {
            assertThat(ByteBufUtil.hexDump(first)).isEqualTo(ByteBufUtil.hexDump(second));
        } finally {
            first.release();
            second.release();
        }
    }

    @Property(tries = 100)
    void everyFieldAndSliceIsNaturallyAligned(@ForAll("users") User user) {
        for (TeleportLayout layout : List.of(UserLayout.LAYOUT, AddressLayout.LAYOUT)) {
            for (TeleportLayout.Field f : layout.fields()) {
                assertThat(f.offset() % f.alignment()).as(f.toString()).isZero();
            }
        }
        UserTeleport.write(out, user);
        ByteBuf wire = out.finish();
        try {
            int block = TeleportHeader.SIZE;
            assertThat(block % 8).isZero();
            assertThat(wire.getIntLE(block + UserLayout.ADDRESSES_OFFSET) % AddressLayout.ALIGNMENT).isZero();
            assertThat(wire.getIntLE(block + UserLayout.SESSIONS_OFFSET) % 8).isZero();
            assertThat(wire.getIntLE(block + UserLayout.HISTORY_OFFSET) % 8).isZero();
            assertThat(wire.getIntLE(block + UserLayout.FRIENDS_OFFSET) % 4).isZero();
            assertThat(wire.getIntLE(block + UserLayout.LEVELS_OFFSET) % 2).isZero();
        } finally {
            wire.release();
        }
    }

    @Property(tries = 100)
    void aReWrappedViewReadsTheNextMessage(@ForAll("users") User first, @ForAll("users") User second) {
        UserView view = new UserView();
        UserTeleport.write(out, first);
        ByteBuf a = out.finish();
        UserTeleport.write(out, second);
        ByteBuf b = out.finish();
        // Both messages back to back in one buffer: wrap at an offset, as a reader of a stream would.
        ByteBuf both = Unpooled.wrappedBuffer(a, b);
        try {
            assertSameUser(view.rewrap(both, 0).toRecord(), first);
            assertSameUser(view.rewrap(both, a.readableBytes()).toRecord(), second);
        } finally {
            both.release();
        }
    }

    static void assertSameUser(User actual, User expected) {
        assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
    }

    @Provide
    Arbitrary<User> users() {
        // Unpaired surrogates have no UTF-8 form; every other char, ASCII or not, must come back.
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0000', '\uFFFF').ofMaxLength(300),
                Arbitraries.just("")).filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)));
        Arbitrary<String> nullableText = Arbitraries.oneOf(text, Arbitraries.just(null));
        Arbitrary<Address> address = Combinators.combine(nullableText, nullableText, Arbitraries.integers(),
                Arbitraries.shorts()).as(Address::new);
        return Builders.withBuilder(UserParts::new)
                .use(Arbitraries.longs()).inSetter((p, v) -> p.id = v)
                .use(Arbitraries.integers()).inSetter((p, v) -> p.age = v)
                .use(Arbitraries.of(true, false)).inSetter((p, v) -> p.active = v)
                .use(nullableText).inSetter((p, v) -> p.name = v)
                .use(nullableText).inSetter((p, v) -> p.email = v)
                .use(address.list().ofMaxSize(20)).inSetter((p, v) -> p.addresses = v)
                .use(address).inSetter((p, v) -> p.home = v)
                .use(Arbitraries.of(Role.class)).inSetter((p, v) -> p.role = v)
                .use(Arbitraries.bytes()).inSetter((p, v) -> p.flags = v)
                .use(Arbitraries.shorts()).inSetter((p, v) -> p.rank = v)
                .use(Arbitraries.chars()).inSetter((p, v) -> p.initial = v)
                .use(Arbitraries.floats()).inSetter((p, v) -> p.score = v)
                .use(Arbitraries.doubles()).inSetter((p, v) -> p.balance = v)
                .use(Arbitraries.bytes().array(byte[].class).ofMaxSize(100)).inSetter((p, v) -> p.avatar = v)
                .use(Arbitraries.integers().array(int[].class).ofMaxSize(50)).inSetter((p, v) -> p.friends = v)
                .use(Arbitraries.longs().array(long[].class).ofMaxSize(20)).inSetter((p, v) -> p.sessions = v)
                .use(Arbitraries.of(true, false).array(boolean[].class).ofMaxSize(20)).inSetter((p, v) -> p.badges = v)
                .use(Arbitraries.shorts().array(short[].class).ofMaxSize(20)).inSetter((p, v) -> p.levels = v)
                .use(Arbitraries.chars().array(char[].class).ofMaxSize(20)).inSetter((p, v) -> p.code = v)
                .use(Arbitraries.floats().array(float[].class).ofMaxSize(20)).inSetter((p, v) -> p.weights = v)
                .use(Arbitraries.doubles().array(double[].class).ofMaxSize(20)).inSetter((p, v) -> p.history = v)
                .build(UserParts::user);
    }

    /** Twenty-one components are more than jqwik's combinators take at once. */
    static final class UserParts {
        long id;
        int age;
        boolean active;
        String name;
        String email;
        List<Address> addresses;
        Address home;
        Role role;
        byte flags;
        short rank;
        char initial;
        float score;
        double balance;
        byte[] avatar;
        int[] friends;
        long[] sessions;
        boolean[] badges;
        short[] levels;
        char[] code;
        float[] weights;
        double[] history;

        User user() {
            return new User(id, age, active, name, email, addresses, home, role, flags, rank, initial, score, balance,
                    avatar, friends, sessions, badges, levels, code, weights, history);
        }
    }
}
