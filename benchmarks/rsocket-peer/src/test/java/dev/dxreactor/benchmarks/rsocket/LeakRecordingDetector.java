package dev.dxreactor.benchmarks.rsocket;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A Netty 4.1 {@link ResourceLeakDetector} that also keeps every report, so that {@link LeakCheck} can fail the
 * test that leaked. The project's own detector (dx-testing) is built on Netty 4.2, which this module must not
 * load. Netty creates it because surefire passes {@code -Dio.netty.customResourceLeakDetector} with this name.
 *
 * @param <T> the tracked resource type
 */
public final class LeakRecordingDetector<T> extends ResourceLeakDetector<T> {

    private static final Queue<String> REPORTS = new ConcurrentLinkedQueue<>();
    private static volatile boolean installed;

    /** The constructor Netty's {@code ResourceLeakDetectorFactory} looks up. */
    public LeakRecordingDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
        installed = true;
    }

    /** The older signature, which Netty looks up as well and logs an error without. */
    @SuppressWarnings("deprecation")
    public LeakRecordingDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
        installed = true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        super.reportTracedLeak(resourceType, records);
        REPORTS.add("LEAK: " + resourceType + ".release() was not called." + records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        super.reportUntracedLeak(resourceType);
        REPORTS.add("LEAK: " + resourceType + ".release() was not called.");
    }

    static boolean installed() {
        ByteBufAllocator.DEFAULT.directBuffer(1).release();
        return installed && ResourceLeakDetector.getLevel() == Level.PARANOID;
    }

    /**
     * Makes Netty look for leaked buffers now and returns the reports since the last call. Netty notices a leak
     * only when the collector has queued the lost buffer and a later allocation is tracked, hence a collection
     * (awaited through a sentinel reference) and an allocation, twice.
     */
    static List<String> collectReports() throws InterruptedException {
        for (int round = 0; round < 2; round++) {
            ReferenceQueue<Object> queue = new ReferenceQueue<>();
            WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
            System.gc();
            queue.remove(2_000);
            sentinel.clear();
            ByteBufAllocator.DEFAULT.directBuffer(1).release();
        }
        List<String> reports = new ArrayList<>();
        for (String report; (report = REPORTS.poll()) != null; ) {
            reports.add(report);
        }
        return reports;
    }
}
