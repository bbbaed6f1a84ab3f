package dev.dxreactor.hbtp.cli;

import picocli.CommandLine.Option;

/** {@code --output}, {@code --type} and {@code --class-path}: how answers, states and events are shown. */
final class OutputOptions {

    @Option(names = {"-o", "--output"}, paramLabel = "raw|hex|json",
            description = "raw bytes (default), hex, or json (with --type; the default when --type is given).")
    OutputFormat format;

    @Option(names = "--type", paramLabel = "<record>", description = "Fully qualified name of the @Teleportable"
            + " record the payload holds; its generated view renders it as JSON.")
    String type;

    @Option(names = "--class-path", paramLabel = "<path>", description = "Jars or directories holding --type and"
            + " its generated view, separated by the platform's path separator.")
    String classPath;

    /**
     * The renderer these options ask for.
     *
     * @throws CliException {@link ExitCode#USAGE} for json without a type, a type with raw or hex, or a type
     *                      that cannot be loaded
     */
    Renderer renderer() {
        OutputFormat chosen = format != null ? format : type != null ? OutputFormat.JSON : OutputFormat.RAW;
        if (chosen == OutputFormat.JSON && type == null) {
            throw CliException.usage("--output json needs --type naming the @Teleportable record to render");
        }
        if (chosen != OutputFormat.JSON && type != null) {
            throw CliException.usage("--type renders JSON; it does not go with --output " + chosen);
        }
        if (chosen != OutputFormat.JSON && classPath != null) {
            throw CliException.usage("--class-path is for --type");
        }
        return chosen == OutputFormat.JSON
                ? Renderer.json(TeleportJson.load(type, classPath)) : Renderer.of(chosen);
    }
}
