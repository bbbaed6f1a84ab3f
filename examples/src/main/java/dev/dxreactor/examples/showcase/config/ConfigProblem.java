package dev.dxreactor.examples.showcase.config;

/**
 * One mistake in the showcase's configuration.
 *
 * @param path       the setting, as written in the file ({@code showcase.hbtp.port})
 * @param value      the value as given, or {@code null} when the setting itself is the mistake
 * @param origin     where the value came from (file and line, environment variable, system property)
 * @param rule       what the value must be
 * @param suggestion what to write instead
 */
public record ConfigProblem(String path, String value, String origin, String rule, String suggestion) {

    /** One line: {@code showcase.hbtp.port = 70000 (showcase.conf: 3): must be ...; try ...}. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(path);
        if (value != null) {
            line.append(" = ").append(value);
        }
        if (origin != null) {
            line.append(" (").append(origin).append(')');
        }
        line.append(": ").append(rule);
        if (suggestion != null) {
            line.append("; try ").append(suggestion);
        }
        return line.toString();
    }
}
