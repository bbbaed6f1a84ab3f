package dev.dxreactor.teleport.example;

import dev.dxreactor.teleport.TeleportBuffer;
import dev.dxreactor.teleport.TeleportFormatException;
import dev.dxreactor.teleport.TeleportHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Damaged messages: {@code wrap} either refuses them with {@link TeleportFormatException} or every getter of
 * the view then works without an exception. Nothing else may escape.
 */
class MalformedMessageTest {

    private static final User USER = new User(7, 41, true, "Ada", "ada@example.com",
            List.of(new Address("Main St", "10115", 3, (short) 1), new Address("Side St", null, 9, (short) -2)),
            new Address("Home", "00000", 1, (short) 0), Role.ADMIN, (byte) 3, (short) 9, 'A', 1.5f, -2.25,
            new byte[]{1, 2, 3}, new int[]{4, 5}, new long[]{6}, new boolean[]{true}, new short[]{7},
            new char[]{'x'}, new float[]{8f}, new double[]{9d});

    private final TeleportBuffer out = TeleportBuffer.allocate(ByteBufAllocator.DEFAULT);

    @AfterProperty
    @AfterEach
    void release() {
        out.release();
    }

    /** One change an attacker (or a broken writer) could make: position, new value, width. */
    record Damage(int position, long value, int width) {
    }

    @Property(tries = 1000)
    void damagedMessagesAreRefusedOrReadSafely(@ForAll("damages") List<Damage> damages,
                                               @ForAll @IntRange(min = 0, max = 400) int cut) {
        UserTeleport.write(out, USER);
        ByteBuf wire = out.finish();
        try {
            for (Damage d : damages) {
                int at = d.position() % (wire.readableBytes() - d.width() + 1);
                switch (d.width()) {
                    case 1 -> wire.setByte(at, (int) d.value());
                    case 2 -> wire.setShortLE(at, (int) d.value());
                    default -> wire.setIntLE(at, (int) d.value());
                }
            }
            ByteBuf input = cut > 0 && cut < wire.readableBytes() ? wire.slice(0, wire.readableBytes() - cut) : wire;
            UserView view;
            try {
                view = UserView.wrap(input);
            } catch (TeleportFormatException refused) {
                return;
            }
            readEverything(view);
        } finally {
            wire.release();
        }
    }

    @Provide
    Arbitrary<List<Damage>> damages() {
        Arbitrary<Damage> damage = Combinators.combine(
                Arbitraries.integers().between(0, 10_000),
                Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, 1L, 255L, 0xFFFFL, 0xFFFF_FFFFL, 0x7FFF_FFFFL,
                        16L, 24L, 1L << 31)),
                Arbitraries.of(1, 2, 4)).as(Damage::new);
        return damage.list().ofMinSize(1).ofMaxSize(4);
    }

    private static void readEverything(UserView view) {
        view.toRecord();
        view.nameUtf8();
        view.emailUtf8();
        readText(view.nameText());
        readText(view.emailText());
        for (int i = 0; i < view.addresses().size(); i++) {
            view.addresses().get(i).toRecord();
        }
        view.avatar();
        for (int i = 0; i < view.friendsLength(); i++) {
            view.friends(i);
        }
    }

    @Test
    void anUnknownEnumConstantIsRefusedWithItsName() {
        UserTeleport.write(out, USER);
        ByteBuf wire = out.finish();
        try {
            wire.setByte(TeleportHeader.SIZE + UserLayout.ROLE_OFFSET, 3);
            assertThatThrownBy(() -> UserView.wrap(wire)).isInstanceOf(TeleportFormatException.class)
                    .hasMessageContaining("User.role: enum ordinal 3 but there are only 3 constants");
        } finally {
            wire.release();
        }
    }

    @Test
    void aListElementsStringOutsideTheTableIsRefusedWithItsName() {
        UserTeleport.write(out, USER);
        ByteBuf wire = out.finish();
        try {
            int elements = wire.getIntLE(TeleportHeader.SIZE + UserLayout.ADDRESSES_OFFSET);
            wire.setIntLE(elements + AddressLayout.STRIDE + AddressLayout.STREET_OFFSET + 4, 1 << 20);
            assertThatThrownBy(() -> UserView.wrap(wire)).isInstanceOf(TeleportFormatException.class)
                    .hasMessageContaining("Address.street: string of 1048576 bytes");
        } finally {
            wire.release();
        }
    }

    @Test
    void anotherTypesMessageIsRefused() {
        AddressTeleport.write(out, USER.home());
        ByteBuf wire = out.finish();
        try {
            assertThatThrownBy(() -> UserView.wrap(wire)).isInstanceOf(TeleportFormatException.class)
                    .hasMessageContaining("template 2; expected schema 1, template 1");
        } finally {
            wire.release();
        }
    }

    @Test
    void anEmptyBufferIsRefused() {
        assertThatThrownBy(() -> UserView.wrap(Unpooled.EMPTY_BUFFER)).isInstanceOf(TeleportFormatException.class);
    }

    @Test
    void malformedUtf8IsRefusedOnlyWhenAskedTo() {
        UserTeleport.write(out, USER);
        ByteBuf wire = out.finish();
        try {
            int table = wire.getIntLE(TeleportHeader.STRING_TABLE_OFFSET);
            wire.setByte(table, 0xC3);
            wire.setByte(table + 1, 0x28);
            assertThat(UserView.wrap(wire).name()).isNotEqualTo("Ada");
            assertThatThrownBy(() -> new UserView().validateUtf8(true).rewrap(wire, 0))
                    .isInstanceOf(TeleportFormatException.class).hasMessageContaining("User.name: string is not"
                            + " well-formed UTF-8");
        } finally {
            wire.release();
        }
    }

    /** Every character of a string read in place, and its decoded form. */
    static void readText(CharSequence text) {
        if (text == null) {
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            text.charAt(i);
        }
        text.toString();
    }
}
