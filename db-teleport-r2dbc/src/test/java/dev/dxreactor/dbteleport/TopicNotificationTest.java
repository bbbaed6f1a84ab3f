package dev.dxreactor.dbteleport;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The notification text: inline below the budget, a reference above it, anything else refused with a reason. */
class TopicNotificationTest {

    @Test
    void aSmallChangeGoesInlineWithItsKind() {
        byte[] payload = "price 42".getBytes(StandardCharsets.UTF_8);
        String text = TopicNotification.format(7, 12, TopicChangeKind.DELTA, payload);
        assertThat(text).startsWith("7:12:d:");

        TopicNotification parsed = TopicNotification.parse(text);
        assertThat(parsed.topic()).isEqualTo(7);
        assertThat(parsed.seq()).isEqualTo(12);
        assertThat(parsed.kind()).isEqualTo(TopicChangeKind.DELTA);
        assertThat(parsed.payload()).isEqualTo(payload);
        assertThat(TopicNotification.parse(TopicNotification.format(0, 1, TopicChangeKind.SNAPSHOT, new byte[0])))
                .satisfies(n -> {
                    assertThat(n.inline()).isTrue();
                    assertThat(n.kind()).isEqualTo(TopicChangeKind.SNAPSHOT);
                    assertThat(n.payload()).isEmpty();
                });
    }

    @Test
    void aChangeThatWouldPassTheBudgetIsOnlyReferenced() {
        byte[] fits = new byte[5000];
        byte[] tooBig = new byte[9000];
        Arrays.fill(tooBig, (byte) 'x');
        assertThat(TopicNotification.format(65535, Long.MAX_VALUE, TopicChangeKind.DELTA, fits).length())
                .isLessThanOrEqualTo(TopicNotification.MAX_TEXT_BYTES);
        assertThat(TopicNotification.format(3, 99, TopicChangeKind.SNAPSHOT, tooBig)).isEqualTo("3:99");

        TopicNotification reference = TopicNotification.parse("3:99");
        assertThat(reference.inline()).isFalse();
        assertThat(reference.kind()).isNull();
    }

    @Test
    void textsThisBridgeDoesNotWriteAreRefusedWithTheReason() {
        for (String bad : new String[]{"", "3", "x:1", "3:y", "3:0", "-1:4", "65536:4", "3:4:", "3:4:q:AAAA",
                "3:4:d:not base64!", "3:4:dAAAA"}) {
            assertThatThrownBy(() -> TopicNotification.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a topic notification");
        }
        assertThatThrownBy(() -> TopicNotification.parse("1:1:d:" + "A".repeat(8000)))
                .hasMessageContaining("8006 characters");
    }
}
