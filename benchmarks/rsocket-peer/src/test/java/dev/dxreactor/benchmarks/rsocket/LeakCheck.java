package dev.dxreactor.benchmarks.rsocket;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/** Fails a test when Netty reported a ByteBuf leak while it ran, and a class whose JVM does not record leaks. */
final class LeakCheck implements BeforeAllCallback, AfterEachCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!LeakRecordingDetector.installed()) {
            throw new IllegalStateException("run the tests with -Dio.netty.leakDetection.level=paranoid and"
                    + " -Dio.netty.customResourceLeakDetector=" + LeakRecordingDetector.class.getName());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        List<String> reports = LeakRecordingDetector.collectReports();
        if (!reports.isEmpty()) {
            throw new AssertionError(reports.size() + " leak report(s) in " + context.getDisplayName() + ":\n"
                    + String.join("\n\n", reports));
        }
    }
}
