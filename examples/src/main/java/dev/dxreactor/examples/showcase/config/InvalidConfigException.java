package dev.dxreactor.examples.showcase.config;

import java.util.List;

/** The configuration has mistakes: every one found, not only the first. */
public final class InvalidConfigException extends Exception {

    private final List<ConfigProblem> problems;

    InvalidConfigException(List<ConfigProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every mistake, in the order of the settings. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(List<ConfigProblem> problems) {
        StringBuilder text = new StringBuilder("the configuration has ").append(problems.size())
                .append(problems.size() == 1 ? " mistake:" : " mistakes:");
        for (ConfigProblem problem : problems) {
            text.append(System.lineSeparator()).append("  ").append(problem);
        }
        return text.toString();
    }
}
