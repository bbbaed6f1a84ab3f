package dev.dxreactor.transport.iocp;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every conformance scenario on the emulated kernel: each step's observation must be the one the scenario
 * file expects. The observed table is written to {@code target/conformance/emulated.tsv}, which the
 * {@code wine-conformance} profile compares with the table of the same scenarios under Wine.
 */
class ConformanceScenariosTest {

    private static final List<ConformanceRunner.Row> TABLE = Collections.synchronizedList(new ArrayList<>());

    /** On Windows the same scenarios run against the real kernel (the CI workflow on windows-latest). */
    @TestFactory
    @EnabledOnOs(OS.WINDOWS)
    Stream<DynamicTest> everyScenarioOnTheRealKernel() {
        return ConformanceRunner.load().stream().map(scenario -> DynamicTest.dynamicTest(scenario.name(), () -> {
            List<ConformanceRunner.Row> rows = ConformanceRunner.run(WindowsKernel.real(), scenario);
            for (int i = 0; i < rows.size(); i++) {
                ConformanceRunner.Step step = scenario.steps().get(i);
                assertThat(rows.get(i).observed()).as("%s step %d: %s", scenario.name(), step.number(), step.command())
                        .isIn(step.allowed());
            }
        }));
    }

    @TestFactory
    @EnabledOnOs(OS.LINUX)
    Stream<DynamicTest> everyScenarioOnTheEmulatedKernel() {
        List<ConformanceRunner.Scenario> scenarios = ConformanceRunner.load();
        assertThat(scenarios).extracting(ConformanceRunner.Scenario::name).doesNotHaveDuplicates().hasSizeGreaterThan(15);
        return scenarios.stream().map(scenario -> DynamicTest.dynamicTest(scenario.name(), () -> {
            EmulatedWindowsKernel kernel = WindowsKernel.emulated();
            List<ConformanceRunner.Row> rows = ConformanceRunner.run(kernel, scenario);
            TABLE.addAll(rows);
            for (int i = 0; i < rows.size(); i++) {
                ConformanceRunner.Step step = scenario.steps().get(i);
                assertThat(rows.get(i).observed()).as("%s step %d: %s", scenario.name(), step.number(), step.command())
                        .isIn(step.allowed());
            }
            assertThat(kernel.memoryViolations()).isEmpty();
        }));
    }

    @AfterAll
    static void writeTable() throws Exception {
        List<ConformanceRunner.Row> rows = new ArrayList<>(TABLE);
        rows.sort((a, b) -> a.scenario().equals(b.scenario())
                ? Integer.compare(a.step(), b.step()) : 0);
        ConformanceRunner.write(Path.of("target", "conformance", "emulated.tsv"), rows);
    }
}
