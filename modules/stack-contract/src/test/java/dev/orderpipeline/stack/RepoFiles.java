package dev.orderpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository these tests check, found from this module's directory ({@code modules/stack-contract}). */
final class RepoFiles {
    static final String TEMPLATE = "template.yaml";
    static final String OPERATIONS_DOC = "docs/operations.md";

    private RepoFiles() {
    }

    static Path root() {
        // Surefire runs tests in the module directory and also passes it as "basedir"
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path root = module.resolve("../..").normalize();
        assertThat(root.resolve(TEMPLATE))
                .as("expected the repository root two levels above %s, holding %s", module, TEMPLATE)
                .isRegularFile();
        return root;
    }

    static Path file(String relative) {
        Path path = root().resolve(relative);
        assertThat(path).as("%s is missing from the repository", relative).isRegularFile();
        return path;
    }

    static String text(String relative) {
        try {
            return Files.readString(file(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
