package dev.dxreactor.testing;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

import java.util.List;

/**
 * The jqwik counterpart of {@link LeakCheckExtension}: a property whose tries leaked a ByteBuf fails.
 *
 * <p>jqwik finds it through {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}.
 */
public final class LeakCheckHook implements AroundPropertyHook {

    /** A hook registered through the service loader sits on the engine; it must reach every property. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        LeakRecordingDetector.requireInstalled();
        PropertyExecutionResult result = property.execute();
        List<String> reports = LeakRecordingDetector.collectReports();
        if (reports.isEmpty()) {
            return result;
        }
        return result.mapToFailed(new AssertionError(
                LeakRecordingDetector.failureMessage(context.label(), reports)));
    }
}
