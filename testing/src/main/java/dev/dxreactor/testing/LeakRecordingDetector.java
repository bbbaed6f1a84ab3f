package dev.dxreactor.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A {@link ResourceLeakDetector} that logs like Netty's own and also keeps every report, so that a test
 * can fail when it leaks instead of leaving a log line nobody reads.
 *
 * <p>Netty creates it when the JVM runs with
 * {@code -Dio.netty.customResourceLeakDetector=dev.dxreactor.testing.LeakRecordingDetector}; the parent
 * POM passes that to every test JVM. {@link LeakCheckExtension} and {@link LeakCheckHook} read the reports.
 *
 * @param <T> the tracked resource type
 */
public final class LeakRecordingDetector<T> extends ResourceLeakDetector<T> {

    private static final Queue<String> REPORTS = new ConcurrentLinkedQueue<>();
    private static final long SENTINEL_WAIT_MILLIS = 2_000;
    private static volatile boolean byteBufDetectorInstalled;

    /** Called by Netty's {@code ResourceLeakDetectorFactory}; the signature is the one it looks up. */
    public LeakRecordingDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
        noteInstalled(resourceType);
    }

    /**
     * The older constructor signature; Netty looks it up as well and logs an error when it is missing.
     */
    @SuppressWarnings("deprecation")
    public LeakRecordingDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
        noteInstalled(resourceType);
    }

    private static void noteInstalled(Class<?> resourceType) {
        if (resourceType == ByteBuf.class) {
            byteBufDetectorInstalled = true;
        }
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        super.reportTracedLeak(resourceType, records);
        REPORTS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected."
                + records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        super.reportUntracedLeak(resourceType);
        REPORTS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected.");
    }

    /**
     * Fails unless Netty tracks every ByteBuf through this detector, so that a misconfigured build cannot
     * pass a leak check that never looked.
     */
    static void requireInstalled() {
        ByteBufAllocator.DEFAULT.directBuffer(1).release();
        List<String> problems = new ArrayList<>();
        if (!byteBufDetectorInstalled) {
            problems.add("ByteBuf leaks are not recorded: run the test JVM with"
                    + " -Dio.netty.customResourceLeakDetector=" + LeakRecordingDetector.class.getName());
        }
        if (ResourceLeakDetector.getLevel() != Level.PARANOID) {
            problems.add("leak detection level is " + ResourceLeakDetector.getLevel()
                    + ": run the test JVM with -Dio.netty.leakDetection.level=paranoid");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
    }

    /**
     * Makes Netty look for leaked buffers now and returns every report since the last call.
     *
     * <p>Netty only notices a leak when the garbage collector has queued the lost buffer and a later
     * allocation is tracked, so this collects garbage and then tracks a buffer of its own, twice:
     * the second round catches buffers whose references were queued during the first. Each round waits
     * until a sentinel reference cleared by the same collection has been enqueued, so that a loaded machine
     * (a slow reference-handler thread) does not let a leak slip into the next test's report.
     */
    static List<String> collectReports() {
        for (int round = 0; round < 2; round++) {
            ReferenceQueue<Object> queue = new ReferenceQueue<>();
            WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
            System.gc();
            try {
                queue.remove(SENTINEL_WAIT_MILLIS);
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sentinel.clear(); // the reference object itself must stay reachable until its queue has been read
            ByteBufAllocator.DEFAULT.directBuffer(1).release();
        }
        List<String> reports = new ArrayList<>();
        for (String report; (report = REPORTS.poll()) != null; ) {
            reports.add(report);
        }
        return reports;
    }

    static String failureMessage(String testName, List<String> reports) {
        return reports.size() + " leak report(s) while running " + testName + ":\n"
                + String.join("\n\n", reports);
    }
}
