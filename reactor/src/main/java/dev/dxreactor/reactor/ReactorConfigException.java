package dev.dxreactor.reactor;

import java.io.Serial;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Thrown by {@link ReactorConfig.Builder#build()} when one or more fields are out of range. It names
 * <em>every</em> invalid field with the value given and the range allowed, so a config with three
 * mistakes is fixed in one round.
 */
public final class ReactorConfigException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * One invalid field.
     *
     * @param field   the option name, as in {@link ReactorConfig#RING_ENTRIES} and its siblings
     * @param value   the value that was given
     * @param allowed the allowed values, in words
     */
    public record Violation(String field, long value, String allowed) {
        @Override
        public String toString() {
            return field + " = " + value + " (allowed: " + allowed + ")";
        }
    }

    private final transient List<Violation> violations;

    ReactorConfigException(List<Violation> violations) {
        super(violations.size() + " invalid ReactorConfig field(s): "
                + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    /** Every invalid field, in declaration order of {@link ReactorConfig}. */
    public List<Violation> violations() {
        return violations;
    }

    /** The names of the invalid fields. */
    public Set<String> invalidFields() {
        return violations.stream().map(Violation::field).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
