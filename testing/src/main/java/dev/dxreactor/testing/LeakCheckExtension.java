package dev.dxreactor.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails a JUnit Jupiter test when Netty reported a ByteBuf leak while it ran.
 *
 * <p>Registered for every test through JUnit's extension auto-detection (the parent POM turns it on
 * and this jar lists the extension under {@code META-INF/services}), so a module gets it by depending
 * on {@code dx-testing}. Before the first test of a class it checks that leak recording is switched on.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterEachCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        LeakRecordingDetector.requireInstalled();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> reports = LeakRecordingDetector.collectReports();
        if (!reports.isEmpty()) {
            throw new AssertionError(LeakRecordingDetector.failureMessage(context.getDisplayName(), reports));
        }
    }
}
