package dev.dxreactor.cim;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every mistake of a configuration so that one exception reports all of them, not just the first.
 */
public final class ConfigProblems {

    private final String what;
    private final List<String> problems = new ArrayList<>();

    /** @param what the configuration's name, for the message ({@code "JwtConfig"}) */
    public ConfigProblems(String what) {
        this.what = what;
    }

    /** Records {@code problem} unless {@code ok}. */
    public ConfigProblems check(boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
        return this;
    }

    /** @throws IllegalArgumentException listing every recorded problem, when there is any */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(what + " has " + problems.size()
                    + (problems.size() == 1 ? " problem: " : " problems: ") + String.join("; ", problems));
        }
    }
}
