package dev.dxreactor.cim.processor;

import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import java.io.IOException;
import java.io.Writer;
import java.util.Set;

/**
 * Generates {@code <Chain>Handler} for every type annotated {@code @MiddlewareChain}: one final class that
 * calls each middleware's hooks directly (no reflection, no list of handlers, no megamorphic call sites).
 * Bad chains (not a middleware, no usable constructor, duplicates, incompatible request or response types,
 * bad origins, {@code CorsMiddleware} after {@code AuthMiddleware}) fail the compilation with every problem
 * named.
 */
@SupportedAnnotationTypes(Names.MIDDLEWARE_CHAIN)
public final class MiddlewareChainProcessor extends AbstractProcessor {

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (TypeElement annotation : annotations) {
            for (Element element : round.getElementsAnnotatedWith(annotation)) {
                if (element instanceof TypeElement chain) {
                    process(chain, mirrorOf(chain, annotation));
                }
            }
        }
        return true;
    }

    private void process(TypeElement chain, AnnotationMirror annotation) {
        ChainModel model = new ChainModelBuilder(processingEnv).build(chain, annotation);
        if (model == null) {
            return;
        }
        TypeSpec handler = HandlerGenerator.generate(model);
        String source = JavaFile.builder(model.chain().packageName(), handler)
                .skipJavaLangImports(true)
                .indent("    ")
                .build()
                .toString();
        try {
            // The chain as originating element: an incremental build regenerates when the chain changes.
            JavaFileObject file = processingEnv.getFiler().createSourceFile(model.handler().canonicalName(), chain);
            try (Writer out = file.openWriter()) {
                out.write(source);
            }
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                    "cannot write " + model.handler().simpleName() + ": " + e.getMessage(), chain);
        }
    }

    private static AnnotationMirror mirrorOf(TypeElement element, TypeElement annotation) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (mirror.getAnnotationType().asElement().equals(annotation)) {
                return mirror;
            }
        }
        throw new IllegalStateException(element + " has no " + annotation);
    }
}
