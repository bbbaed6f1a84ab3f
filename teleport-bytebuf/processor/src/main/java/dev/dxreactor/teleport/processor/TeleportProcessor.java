package dev.dxreactor.teleport.processor;

import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import dev.dxreactor.teleport.Teleportable;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.annotation.processing.SupportedOptions;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Generates {@code XxxLayout}, {@code XxxTeleport} and {@code XxxView} for every {@code @Teleportable}
 * record, and writes its layout file.
 *
 * <p>Option {@code -Ateleport.previousLayouts=<dir>}: a directory of layout files from an earlier build
 * (for example the {@code META-INF/teleport} of the last release); a type whose earlier layout is there
 * must only have appended components, or compilation fails naming what changed.
 *
 * <p>Each record also gets a TypeScript view and writer, {@code META-INF/teleport/typescript/<package
 * path>/Xxx.ts} in the class output, beside the shared runtime {@code META-INF/teleport/typescript/teleport.ts}
 * (written once per compilation); {@code -Ateleport.typescript=false} turns that off.
 */
@SupportedAnnotationTypes("dev.dxreactor.teleport.Teleportable")
@SupportedOptions({TeleportProcessor.PREVIOUS_LAYOUTS, TeleportProcessor.TYPESCRIPT})
public final class TeleportProcessor extends AbstractProcessor {

    static final String PREVIOUS_LAYOUTS = "teleport.previousLayouts";
    static final String TYPESCRIPT = "teleport.typescript";
    private static final int LINE = 110;

    /** Whether this compilation's TypeScript runtime was written: the Filer refuses a second one. */
    private boolean typeScriptRuntimeWritten;

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        ModelBuilder builder = new ModelBuilder(processingEnv.getMessager());
        for (Element element : round.getElementsAnnotatedWith(Teleportable.class)) {
            if (!(element instanceof TypeElement type)) {
                continue;
            }
            TypeModel model = builder.model(type);
            if (model == null || !compatible(model)) {
                continue;
            }
            write(model, LayoutGenerator.generate(model));
            write(model, WriterGenerator.generate(model));
            write(model, ViewGenerator.generate(model));
            writeLayoutFile(model);
            if (!"false".equals(processingEnv.getOptions().get(TYPESCRIPT))) {
                writeTypeScript(model);
            }
        }
        return true;
    }

    private boolean compatible(TypeModel model) {
        String directory = processingEnv.getOptions().get(PREVIOUS_LAYOUTS);
        if (directory == null) {
            return true;
        }
        Path previous = Path.of(directory, model.element().getQualifiedName() + ".layout");
        if (!Files.isRegularFile(previous)) {
            return true;
        }
        List<String> problems;
        try {
            problems = LayoutFile.parse(model.record().canonicalName(), Files.readString(previous))
                    .incompatibilities(LayoutFile.of(model));
        } catch (IOException | IllegalArgumentException e) {
            error(model.element(), "cannot read the earlier layout " + previous + ": " + e.getMessage());
            return false;
        }
        for (String problem : problems) {
            error(model.element(), model.simpleName() + " is incompatible with its earlier layout (" + previous
                    + "): " + problem);
        }
        return problems.isEmpty();
    }

    private void write(TypeModel model, TypeSpec type) {
        String source = wrapComments(JavaFile.builder(model.record().packageName(), type)
                .skipJavaLangImports(true)
                .indent("    ")
                .build()
                .toString());
        try {
            // The record as originating element: an incremental build regenerates when the record changes.
            JavaFileObject file = processingEnv.getFiler().createSourceFile(
                    model.record().packageName() + "." + type.name(), model.element());
            try (Writer out = file.openWriter()) {
                out.write(source);
            }
        } catch (IOException e) {
            error(model.element(), "cannot write " + type.name() + ": " + e.getMessage());
        }
    }

    /** Javadoc lines longer than {@value #LINE} characters, broken at spaces: JavaPoet does not wrap comments. */
    static String wrapComments(String source) {
        StringBuilder out = new StringBuilder(source.length() + 256);
        for (String line : source.split("\n", -1)) {
            int star = line.indexOf("* ");
            if (line.length() <= LINE || star < 0 || !line.substring(0, star).isBlank()) {
                out.append(line).append('\n');
                continue;
            }
            String prefix = line.substring(0, star + 2);
            StringBuilder current = new StringBuilder(prefix);
            for (String word : line.substring(star + 2).split(" ")) {
                if (current.length() > prefix.length() && current.length() + 1 + word.length() > LINE) {
                    out.append(current).append('\n');
                    current = new StringBuilder(prefix);
                }
                if (current.length() > prefix.length()) {
                    current.append(' ');
                }
                current.append(word);
            }
            out.append(current).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    private void writeLayoutFile(TypeModel model) {
        try {
            FileObject file = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "",
                    LayoutFile.path(model), model.element());
            try (Writer out = file.openWriter()) {
                out.write(LayoutFile.of(model).text());
            }
        } catch (IOException e) {
            error(model.element(), "cannot write the layout file: " + e.getMessage());
        }
    }

    private void writeTypeScript(TypeModel model) {
        TypeScriptGenerator.Result result = TypeScriptGenerator.generate(model, processingEnv.getElementUtils());
        if (result.skipped() != null) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE, model.simpleName()
                    + ": no TypeScript view (the Java code is generated): " + result.skipped(), model.element());
            return;
        }
        try {
            if (!typeScriptRuntimeWritten) {
                typeScriptRuntimeWritten = true;
                writeResource(TypeScriptGenerator.ROOT + TypeScriptGenerator.RUNTIME, typeScriptRuntime(), model);
            }
            writeResource(TypeScriptGenerator.ROOT + TypeScriptGenerator.path(model), result.text(), model);
        } catch (IOException e) {
            error(model.element(), "cannot write the TypeScript view: " + e.getMessage());
        }
    }

    private static String typeScriptRuntime() throws IOException {
        try (InputStream in = TeleportProcessor.class.getResourceAsStream(TypeScriptGenerator.RUNTIME)) {
            if (in == null) {
                throw new IOException("the processor jar lacks " + TypeScriptGenerator.RUNTIME);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void writeResource(String path, String text, TypeModel model) throws IOException {
        FileObject file = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", path,
                model.element());
        try (Writer out = file.openWriter()) {
            out.write(text);
        }
    }

    private void error(Element element, String message) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message, element);
    }
}
