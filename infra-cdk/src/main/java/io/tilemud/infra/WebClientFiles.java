package io.tilemud.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The browser client's static files ({@code web-client/public}: {@code index.html} and its ES modules), deployed to
 * S3 as they are (the client has no build step). Checked before any construct is built, like {@link LambdaArtifacts},
 * so a missing directory fails the synth naming it instead of as a CDK asset error.
 */
public record WebClientFiles(Path directory) {
    /** Relative to the repository root (context {@code repoRoot}); context {@code webClientDir} overrides it. */
    public static final String DEFAULT_DIRECTORY = "web-client/public";
    static final String INDEX = "index.html";

    public WebClientFiles {
        Objects.requireNonNull(directory, "directory");
    }

    /** @throws IllegalStateException naming the directory when it or its {@code index.html} is missing */
    public static WebClientFiles locate(StackSettings settings) {
        Path absolute = settings.webClientDir().toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute.resolve(INDEX))) {
            throw new IllegalStateException("Web client not found: " + absolute.resolve(INDEX) + " does not exist."
                    + System.lineSeparator() + "The stack deploys the static files of " + DEFAULT_DIRECTORY
                    + " to S3 + CloudFront: check out a revision that has them, or point context webClientDir "
                    + "(or repoRoot) at a directory holding index.html.");
        }
        return new WebClientFiles(absolute);
    }
}
