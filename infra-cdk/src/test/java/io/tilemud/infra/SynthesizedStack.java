package io.tilemud.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Synthesizes the stack for the tests. Synthesis boots Node through jsii and takes seconds, so the default template
 * is built once per JVM (holder idiom: lazy, thread-safe, never reassigned) and shared by every test class.
 *
 * <p>By default the real jars of the build are used ({@code ./mvnw verify} builds them before this module). While the
 * other modules are not built yet, {@code -Dtilemud.functionsJar=...} / {@code -Dtilemud.websocketJar=...} point at
 * stand-ins.
 */
final class SynthesizedStack {
    static final String FUNCTIONS_JAR_PROPERTY = "tilemud.functionsJar";
    static final String WEBSOCKET_JAR_PROPERTY = "tilemud.websocketJar";
    static final String WEB_CLIENT_DIR_PROPERTY = "tilemud.webClientDir";
    /** A stand-in web client (index.html, a module, a stale config.json): tests need not wait for web-client/. */
    static final String TEST_WEB_CLIENT_DIR = "src/test/resources/web-client";

    private SynthesizedStack() {
    }

    /** The stack with default settings, synthesized on first use. */
    static TemplateIndex defaults() {
        return DefaultHolder.INDEX;
    }

    /** A separate synthesis with extra context; each call costs a full synthesis. */
    static TemplateIndex withContext(Map<String, Object> context) {
        return synthesize(context);
    }

    private static TemplateIndex synthesize(Map<String, Object> extraContext) {
        Map<String, Object> context = new HashMap<>();
        putIfSet(context, "functionsJar", FUNCTIONS_JAR_PROPERTY);
        putIfSet(context, "websocketJar", WEBSOCKET_JAR_PROPERTY);
        context.put("webClientDir", System.getProperty(WEB_CLIENT_DIR_PROPERTY, TEST_WEB_CLIENT_DIR));
        context.putAll(extraContext);
        String outdir = outdir();
        App app = new App(AppProps.builder().context(context).outdir(outdir).build());
        StackSettings settings = StackSettings.fromContext(app.getNode()::tryGetContext);
        var stack = new TileMudStack(app, settings.stackName(), StackProps.builder().build(), settings,
                LambdaArtifacts.locate(settings), WebClientFiles.locate(settings));
        return new TemplateIndex(Template.fromStack(stack), Path.of(outdir));
    }

    /** Under target/, so staged jar assets go away with `mvn clean` instead of piling up in the system temp dir. */
    private static String outdir() {
        try {
            Path parent = Files.createDirectories(Path.of("target", "cdk-test"));
            return Files.createTempDirectory(parent, "synth-").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putIfSet(Map<String, Object> context, String key, String property) {
        String value = System.getProperty(property);
        if (value != null && !value.isBlank()) {
            context.put(key, value);
        }
    }

    private static final class DefaultHolder {
        static final TemplateIndex INDEX = synthesize(Map.of());
    }
}
