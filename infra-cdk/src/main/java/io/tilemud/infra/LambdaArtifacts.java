package io.tilemud.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The two shaded jars the functions run from. Checked before any construct is built, so a forgotten build fails
 * with the fix instead of a CDK asset error deep in synthesis.
 */
public record LambdaArtifacts(Path functionsJar, Path websocketJar) {

    public LambdaArtifacts {
        Objects.requireNonNull(functionsJar, "functionsJar");
        Objects.requireNonNull(websocketJar, "websocketJar");
    }

    /** @throws IllegalStateException naming the missing jar and the command that builds it */
    public static LambdaArtifacts locate(StackSettings settings) {
        return new LambdaArtifacts(existing(settings.functionsJar()), existing(settings.websocketJar()));
    }

    private static Path existing(Path jar) {
        Path absolute = jar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new IllegalStateException("Lambda jar not found: " + absolute + System.lineSeparator()
                    + "Build the function jars first: run `./mvnw -DskipTests package` from the repository root "
                    + "(or point context functionsJar/websocketJar/repoRoot at existing jars).");
        }
        return absolute;
    }
}
