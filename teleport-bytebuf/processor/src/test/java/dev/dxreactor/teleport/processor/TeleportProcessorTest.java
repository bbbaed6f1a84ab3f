package dev.dxreactor.teleport.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The processor on sources compiled in the test: what it generates, and the errors it reports. */
class TeleportProcessorTest {

    private static Compilation compile(String... sources) {
        return compile(List.of(), sources);
    }

    private static Compilation compile(List<String> options, String... sources) {
        JavaFileObject[] files = new JavaFileObject[sources.length];
        for (int i = 0; i < sources.length; i++) {
            String source = sources[i];
            String name = source.replaceAll("(?s).*?(record|class|interface|enum) (\\w+).*", "$2");
            files[i] = JavaFileObjects.forSourceString("test." + name, "package test;\n"
                    + "import dev.dxreactor.teleport.*;\nimport java.util.*;\n" + source);
        }
        return Compiler.javac().withProcessors(new TeleportProcessor()).withOptions(options).compile(files);
    }

    private static List<String> errors(Compilation compilation) {
        return compilation.errors().stream().map(d -> d.getMessage(Locale.ROOT)).toList();
    }

    @Test
    void aValidRecordGetsItsLayoutWriterViewAndLayoutFile() throws IOException {
        Compilation compilation = compile("@Teleportable record Point(int x, int y, String label) {}");
        assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
        assertThat(compilation.generatedSourceFiles()).extracting(JavaFileObject::getName)
                .anyMatch(n -> n.endsWith("test/PointLayout.java"))
                .anyMatch(n -> n.endsWith("test/PointTeleport.java"))
                .anyMatch(n -> n.endsWith("test/PointView.java"));
        JavaFileObject layout = compilation.generatedFile(StandardLocation.CLASS_OUTPUT,
                "META-INF/teleport/test.Point.layout").orElseThrow();
        assertThat(layout.getCharContent(true).toString())
                .contains("field x int 0 4 1", "field y int 4 4 1", "field label java.lang.String 8 8 1");
        assertThat(compilation.warnings()).isEmpty();
    }

    @Test
    void onlyRecordsCanBeTeleportable() {
        assertThat(errors(compile("@Teleportable class Point { int x; }")))
                .containsExactly("@Teleportable applies to records; Point is a class");
    }

    @Test
    void unsupportedComponentTypesAreNamedWithWhatToDoInstead() {
        Compilation compilation = compile("@Teleportable record Bad(Integer boxed, Object any, List<String> names,"
                + " String[] labels, Plain plain) {}", "record Plain(int x) {}");
        assertThat(errors(compilation)).containsExactly(
                "Bad.boxed has unsupported type java.lang.Integer; use the primitive type",
                "Bad.any has unsupported type java.lang.Object; supported: the eight primitives, enums, String,"
                        + " byte[] and other primitive arrays, @Teleportable records, and List of @Teleportable records",
                "Bad.names has unsupported type java.util.List<java.lang.String>; a List's elements must be a"
                        + " @Teleportable record",
                "Bad.labels has unsupported type java.lang.String[]; arrays of objects are not (a List of a"
                        + " @Teleportable record is)",
                "Bad.plain has unsupported type test.Plain; annotate Plain with @Teleportable to nest it");
    }

    @Test
    void cyclesAreReportedWithTheirPath() {
        Compilation compilation = compile("@Teleportable record Node(int id, List<Edge> edges) {}",
                "@Teleportable record Edge(int weight, Node to) {}");
        assertThat(errors(compilation)).anyMatch(e -> e.contains("must not contain themselves")
                && (e.contains("Node -> Edge -> Node") || e.contains("Edge -> Node -> Edge")));
    }

    @Test
    void emptyGenericAndOutOfRangeDeclarationsAreRefused() {
        assertThat(errors(compile("@Teleportable record Empty() {}")))
                .containsExactly("@Teleportable record Empty has no components");
        assertThat(errors(compile("@Teleportable record Box<T>(int x) {}")))
                .containsExactly("@Teleportable records cannot be generic: the layout must be known at compile time");
        assertThat(errors(compile("@Teleportable(templateId = 70000, version = 0) record Big(int x) {}")))
                .containsExactly("@Teleportable(templateId = 70000) is outside 0..65535",
                        "@Teleportable(version = 0) is outside 1..65535");
    }

    @Test
    void everyComponentWhoseAccessorNameIsTakenIsReported() {
        assertThat(errors(compile("@Teleportable(version = 2) record Card(String name, byte[] nameText, int moveTo,"
                + " long nameLength, @Since(2) int b, @Since(2) boolean hasB) {}")))
                .containsExactly(
                        "Card.nameText: its view accessor nameText() is taken by the view's accessors for name;"
                                + " rename the component",
                        "Card.moveTo: its view accessor moveTo() is taken by every view; rename the component",
                        "Card.hasB: its view accessor hasB() is taken by the view's accessors for b; rename the"
                                + " component");
        assertThat(errors(compile("@Teleportable record Tag(Object value, String name, int nameUtf8) {}")))
                .hasSize(2)
                .anyMatch(error -> error.startsWith("Tag.value has unsupported type java.lang.Object"))
                .contains("Tag.nameUtf8: its view accessor nameUtf8() is taken by the view's accessors for name;"
                        + " rename the component");
    }

    @Test
    void componentsMayOnlyBeAppendedAndGrowingTypesCannotBeNested() {
        assertThat(errors(compile("@Teleportable(version = 2) record Order(@Since(2) int a, int b) {}")))
                .containsExactly("b is from version 1 but follows a component from version 2: components may"
                        + " only be appended");
        assertThat(errors(compile("@Teleportable(version = 2) record Order(int a, @Since(3) int b) {}")))
                .containsExactly("@Since(3) on b: must be 1..2 (the record's version)");
        assertThat(errors(compile("@Teleportable(version = 2) record Inner(int a, @Since(2) int b) {}",
                "@Teleportable record Outer(Inner inner) {}")))
                .containsExactly("Outer.inner: Inner has components added in later versions (@Since) and cannot be"
                        + " nested; only a message's top level can grow");
        assertThat(errors(compile("@Teleportable(version = 2) record Inner(int a, @Since(2) int b) {}",
                "@Teleportable record Outer(List<Inner> inners) {}")))
                .containsExactly("Outer.inners: Inner has components added in later versions (@Since) and cannot be"
                        + " nested; only a message's top level can grow");
    }

    @Test
    void aChangedLayoutIsRefusedAgainstThePreviousLayoutFile(@TempDir Path previous) throws IOException {
        Files.writeString(previous.resolve("test.Account.layout"), """
                # teleport layout of test.Account
                schema 1
                template 9
                version 1
                field id long 0 8 1
                field balance int 8 4 1
                """);
        List<String> options = List.of("-Ateleport.previousLayouts=" + previous);

        assertThat(compile(options, "@Teleportable(templateId = 9, version = 2) record Account(long id,"
                + " int balance, @Since(2) String owner) {}").status()).isEqualTo(Compilation.Status.SUCCESS);

        assertThat(errors(compile(options, "@Teleportable(templateId = 9) record Account(long id, long balance) {}")))
                .singleElement().asString().contains("Account is incompatible with its earlier layout",
                        "component balance changed from int at 8 (4 bytes) to long at 8 (8 bytes)");
        assertThat(errors(compile(options, "@Teleportable(templateId = 9) record Account(long id) {}")))
                .singleElement().asString().contains("component balance was removed");
        assertThat(errors(compile(options, "@Teleportable(templateId = 9) record Account(long id, int balance,"
                + " String owner) {}")))
                .anyMatch(e -> e.contains("components were appended but the version stayed 1"))
                .anyMatch(e -> e.contains("appended component owner needs @Since(2) or later"));
    }

    @Test
    void anUnreadablePreviousLayoutFileIsReportedWithItsLine(@TempDir Path previous) throws IOException {
        Files.writeString(previous.resolve("test.Account.layout"), "schema 1\ntemplate 9\nversion one\n");
        assertThat(errors(compile(List.of("-Ateleport.previousLayouts=" + previous),
                "@Teleportable(templateId = 9) record Account(long id) {}")))
                .singleElement().asString().contains("cannot read the earlier layout", "line 3 (version one)");
    }

    @Test
    void generatedSourcesCompileWithoutWarnings() {
        Compilation compilation = compile("enum Kind { A, B }",
                "@Teleportable record Part(String name, int[] sizes, Kind kind) {}",
                "@Teleportable(version = 2) record Whole(long id, Part main, List<Part> parts, byte[] blob,"
                        + " @Since(2) double weight, @Since(2) List<Part> spares, @Since(2) Part extra) {}");
        assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
        assertThat(compilation.diagnostics()).filteredOn(d -> d.getKind() != Diagnostic.Kind.NOTE).isEmpty();
    }

    /**
     * Where an older writer's block ends, other bytes follow (the next message, or whatever the buffer's
     * memory holds): no accessor of an appended component, of any kind, may read there.
     */
    @Test
    void everyAccessorOfAnAppendedComponentChecksTheWritersBlockLengthFirst() throws IOException {
        Compilation compilation = compile("enum Kind { A, B }",
                "@Teleportable record Part(String name, Kind kind) {}",
                "@Teleportable record Pair(Part left, List<Part> rest) {}",
                "@Teleportable(version = 2) record Whole(long id, @Since(2) int count, @Since(2) Kind kind,"
                        + " @Since(2) String label, @Since(2) byte[] blob, @Since(2) int[] sizes,"
                        + " @Since(2) Part part, @Since(2) Pair pair, @Since(2) List<Part> parts) {}");
        assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
        String view = compilation.generatedSourceFile("test.WholeView").orElseThrow().getCharContent(true)
                .toString();
        Map<String, String> bodies = new HashMap<>();
        Matcher method = Pattern.compile("(?s)\\n    public \\S+ (\\w+)\\(\\) \\{\\n(.*?)\\n    }").matcher(view);
        while (method.find()) {
            bodies.put(method.group(1), method.group(2).strip());
        }
        assertThat(bodies).hasEntrySatisfying("id", body -> assertThat(body).doesNotContain("blockLength"));
        for (String accessor : List.of("count", "kind", "label", "labelText", "labelUtf8", "blob", "blobLength",
                "sizesLength", "part", "pair", "parts", "hasPart")) {
            assertThat(bodies).hasEntrySatisfying(accessor, body -> assertThat(body).as(accessor)
                    .startsWith("return reader.blockLength() >= WholeLayout."));
        }
        assertThat(view).contains("Objects.checkIndex(index, sizesLength());");
        assertThat(bodies.get("toRecord")).contains("hasPart() ? part().toRecord() : null",
                "hasPair() ? pair().toRecord() : null");
    }
}
