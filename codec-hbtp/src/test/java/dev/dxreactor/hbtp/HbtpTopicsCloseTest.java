package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HbtpTopicsCloseTest {

    private static ByteBuf bytes(String text) {
        return Unpooled.directBuffer().writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void closeReleasesEverySnapshotAndDeltaHeld() {
        HbtpTopics topics = new HbtpTopics();
        ByteBuf snapshotA = bytes("a1");
        ByteBuf deltaA = bytes("a2");
        ByteBuf oldSnapshotB = bytes("b1");
        ByteBuf snapshotB = bytes("b2");
        topics.publish(1, snapshotA);
        topics.publishDelta(1, deltaA);
        topics.publish(700, oldSnapshotB);
        topics.publish(700, snapshotB);
        assertThat(oldSnapshotB.refCnt()).isZero();
        assertThat(snapshotA.refCnt()).isOne();

        topics.close();

        assertThat(snapshotA.refCnt()).isZero();
        assertThat(deltaA.refCnt()).isZero();
        assertThat(snapshotB.refCnt()).isZero();
        topics.close();
    }

    @Test
    void publishingAfterCloseFailsAndReleasesTheBytes() {
        HbtpTopics topics = new HbtpTopics();
        topics.publish(2, bytes("s"));
        topics.close();

        ByteBuf toExistingTopic = bytes("late");
        assertThatThrownBy(() -> topics.publishDelta(2, toExistingTopic))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(toExistingTopic.refCnt()).isZero();

        ByteBuf toNewTopic = bytes("late");
        assertThatThrownBy(() -> topics.publish(9, toNewTopic))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(toNewTopic.refCnt()).isZero();
    }

    @Test
    void aTopicIdOutOfRangeReleasesTheBytes() {
        try (HbtpTopics topics = new HbtpTopics()) {
            ByteBuf snapshot = bytes("s");
            assertThatThrownBy(() -> topics.publish(70_000, snapshot)).isInstanceOf(IllegalArgumentException.class);
            assertThat(snapshot.refCnt()).isZero();
        }
    }

    @Test
    void aSubscriberIsForgottenAndASubscribeAfterCloseIsAnsweredWithNothing() {
        HbtpTopics topics = new HbtpTopics();
        topics.publish(3, bytes("v1"));
        HbtpServerConfig config = HbtpServerConfig.builder().idleTimeout(Duration.ZERO).topics(topics).build();
        try (ServerHarness server = new ServerHarness(config)) {
            server.handshake(HbtpCapabilities.STATE);
            server.send(HbtpOpcode.SUBSCRIBE, HbtpFlags.FINAL, 0, Unpooled.buffer().writeShortLE(3).writeLongLE(0));
            server.drain().forEach(HbtpFrame::release);
            assertThat(topics.subscriberCount(3)).isOne();

            topics.close();
            assertThat(topics.subscriberCount(3)).isZero();

            server.send(HbtpOpcode.SUBSCRIBE, HbtpFlags.FINAL, 0, Unpooled.buffer().writeShortLE(3).writeLongLE(0));
            server.channel.runPendingTasks();
            assertThat(server.drain()).isEmpty();
            assertThat(server.channel.isActive()).isTrue();
        }
    }
}
