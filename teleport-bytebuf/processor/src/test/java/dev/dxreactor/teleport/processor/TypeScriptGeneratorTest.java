package dev.dxreactor.teleport.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import org.junit.jupiter.api.Test;

import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the processor puts the TypeScript files and when it leaves a record out of them; what the files do is
 * checked by running them ({@code TypeScriptViewsTest}).
 */
class TypeScriptGeneratorTest {

    private static Compilation compile(List<String> options, JavaFileObject... sources) {
        return Compiler.javac().withProcessors(new TeleportProcessor()).withOptions(options).compile(sources);
    }

    private static JavaFileObject source(String qualifiedName, String text) {
        String pkg = qualifiedName.substring(0, qualifiedName.lastIndexOf('.'));
        return JavaFileObjects.forSourceString(qualifiedName, "package " + pkg + ";\n"
                + "import dev.dxreactor.teleport.*;\nimport java.util.*;\n" + text);
    }

    private static String generated(Compilation compilation, String path) throws IOException {
        return compilation.generatedFile(StandardLocation.CLASS_OUTPUT, path).orElseThrow(
                () -> new AssertionError("not generated: " + path)).getCharContent(true).toString();
    }

    private static List<String> notes(Compilation compilation) {
        return compilation.diagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.NOTE)
                .map(d -> d.getMessage(Locale.ROOT)).toList();
    }

    @Test
    void eachRecordGetsAFileUnderItsPackagePathAndTheRuntimeIsWrittenOnce() throws IOException {
        Compilation compilation = compile(List.of(),
                source("com.example.shop.Order", "@Teleportable record Order(long id, List<com.example.common.Money>"
                        + " lines, Status status) { enum Status { OPEN, PAID } }"),
                source("com.example.common.Money", "@Teleportable public record Money(long cents, String currency) {}"));
        assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
        assertThat(compilation.generatedFiles()).extracting(JavaFileObject::getName)
                .filteredOn(name -> name.endsWith(".ts")).hasSize(3);
        assertThat(generated(compilation, "META-INF/teleport/typescript/teleport.ts"))
                .contains("export class TeleportReader", "export class TeleportWriter");
        String order = generated(compilation, "META-INF/teleport/typescript/com/example/shop/Order.ts");
        assertThat(order)
                .contains("from \"../../../teleport.js\"")
                .contains("import { type Money, MoneyLayout, MoneyTeleport, MoneyView } from \"../common/Money.js\";")
                .contains("export type Order_Status = \"OPEN\" | \"PAID\";")
                .contains("readonly id: bigint;", "readonly lines: Money[];", "readonly status: Order_Status;");
        assertThat(order.lines()).allMatch(line -> line.length() <= 110, "lines of at most 110 characters");
        assertThat(generated(compilation, "META-INF/teleport/typescript/com/example/common/Money.ts"))
                .contains("export class MoneyView", "export const MoneyTeleport", "readonly currency: string | null;");
    }

    @Test
    void aRecordWhoseNamesTypeScriptWouldConfuseGetsANoteAndJavaOnly() {
        Compilation compilation = compile(List.of(),
                source("test.Odd", "@Teleportable record Odd(int toObject) {}"),
                source("test.Twice", "@Teleportable record Twice(a.Role first, b.Role second) {}"),
                source("test.TeleportList", "@Teleportable record TeleportList(int size) {}"),
                source("a.Role", "public enum Role { X }"),
                source("b.Role", "public enum Role { Y }"));
        assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
        assertThat(notes(compilation)).containsExactlyInAnyOrder(
                "Odd: no TypeScript view (the Java code is generated): toObject is the name of a member every"
                        + " TypeScript view has",
                "Twice: no TypeScript view (the Java code is generated): second: its type's TypeScript name is also"
                        + " that of a.Role (TypeScript names carry no package)",
                "TeleportList: no TypeScript view (the Java code is generated): TeleportList is also a name of the"
                        + " teleport runtime");
        assertThat(compilation.generatedFiles()).extracting(JavaFileObject::getName)
                .noneMatch(name -> name.endsWith("Odd.ts") || name.endsWith("Twice.ts"))
                .anyMatch(name -> name.endsWith("OddView.java"));
    }

    @Test
    void theOptionTurnsTypeScriptOff() {
        Compilation compilation = compile(List.of("-Ateleport.typescript=false"),
                source("test.Point", "@Teleportable record Point(int x, int y) {}"));
        assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
        assertThat(compilation.generatedFiles()).extracting(JavaFileObject::getName)
                .noneMatch(name -> name.endsWith(".ts"))
                .anyMatch(name -> name.endsWith("PointView.java"));
    }

    @Test
    void importPathsBetweenPackages() {
        assertThat(TypeScriptGenerator.relative("com.example", "com.example")).isEqualTo("./");
        assertThat(TypeScriptGenerator.relative("com.example", "")).isEqualTo("../../");
        assertThat(TypeScriptGenerator.relative("", "com.example")).isEqualTo("./com/example/");
        assertThat(TypeScriptGenerator.relative("com.example.shop", "com.example.common")).isEqualTo("../common/");
        assertThat(TypeScriptGenerator.relative("com.example", "org.other")).isEqualTo("../../org/other/");
    }
}
