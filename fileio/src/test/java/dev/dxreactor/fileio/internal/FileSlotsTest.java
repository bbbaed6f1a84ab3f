package dev.dxreactor.fileio.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class FileSlotsTest {

    @Test
    void aLoopRunsNoMoreThanTheWindowOfASharedBatch() {
        FileSlots<Integer> slots = new FileSlots<>(1024);
        slots.share(shared(numbers(1000)));
        List<Integer> started = new ArrayList<>();

        slots.startWaiting(op -> {
            slots.take(op);
            started.add(op);
        });

        assertThat(started).containsExactlyElementsOf(numbers(FileSlots.SHARED_WINDOW));
        assertThat(slots.active()).isEqualTo(FileSlots.SHARED_WINDOW);
    }

    @Test
    void twoLoopsClaimEveryRequestOfASharedBatchExactlyOnce() {
        SharedBatch<Integer> batch = shared(numbers(1000));
        FileSlots<Integer> first = new FileSlots<>(512);
        FileSlots<Integer> second = new FileSlots<>(512);
        first.share(batch);
        second.share(batch);
        List<Integer> claimed = new ArrayList<>();
        // Each pass ends every running request and lets each loop fill up again, the first faster than the second.
        while (claimed.size() < 1000) {
            drive(first, claimed, 3);
            drive(second, claimed, 1);
        }
        assertThat(claimed).containsExactlyInAnyOrderElementsOf(numbers(1000));
        assertThat(first.nextWaiting()).isNull();
        assertThat(second.nextWaiting()).isNull();
    }

    @Test
    void requestsThatEndInsideTheirStartDoNotNest() {
        FileSlots<Integer> slots = new FileSlots<>(4);
        slots.share(shared(numbers(200_000)));
        int[] ended = new int[1];

        // Each request frees its slot at once and asks for the next, as a path too long does.
        slots.startWaiting(new java.util.function.Consumer<>() {
            @Override
            public void accept(Integer op) {
                slots.release(slots.take(op));
                ended[0]++;
                slots.startWaiting(this);
            }
        });

        assertThat(ended[0]).isEqualTo(200_000);
        assertThat(slots.active()).isZero();
    }

    @Test
    void drainingTakesTheQueuedAndEveryUnclaimedRequest() {
        FileSlots<Integer> slots = new FileSlots<>(1);
        slots.take(-1);
        slots.await(-2);
        SharedBatch<Integer> batch = shared(numbers(5));
        assertThat(batch.claim()).isZero();
        slots.share(batch);

        assertThat(slots.drainWaiting()).containsExactly(-2, 1, 2, 3, 4);
        assertThat(slots.nextWaiting()).isNull();
        assertThat(batch.claim()).isNull();
    }

    private static void drive(FileSlots<Integer> slots, List<Integer> claimed, int passes) {
        for (int pass = 0; pass < passes; pass++) {
            List<Integer> running = new ArrayList<>();
            List<Integer> slotsHeld = new ArrayList<>();
            slots.startWaiting(op -> {
                slotsHeld.add(slots.take(op));
                running.add(op);
            });
            claimed.addAll(running);
            slotsHeld.forEach(slots::release);
        }
    }

    private static SharedBatch<Integer> shared(List<Integer> requests) {
        return new SharedBatch<>(requests.size(), requests::get);
    }

    private static List<Integer> numbers(int count) {
        return IntStream.range(0, count).boxed().toList();
    }
}
