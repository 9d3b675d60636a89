package dev.orderpipeline.bench.common;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where things are: the module's target directory (beside benchmarks.jar) and the repository root. */
public final class BenchPaths {
    private BenchPaths() {
    }

    /** {@code modules/benchmarks/target} when run from the jar or from target/classes; else the working directory. */
    public static Path targetDir() {
        try {
            Path location = Path.of(BenchPaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path parent = location.getParent();
            if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("target")) {
                return parent;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        return Path.of("").toAbsolutePath();
    }

    /** The repository root (three levels above target/), or the working directory when that is not a checkout. */
    public static Path repoRoot() {
        Path target = targetDir();
        Path candidate = target.getParent() == null ? null : target.getParent().getParent();
        candidate = candidate == null ? null : candidate.getParent();
        if (candidate != null && Files.isRegularFile(candidate.resolve("pom.xml"))
                && Files.isDirectory(candidate.resolve("modules"))) {
            return candidate;
        }
        return Path.of("").toAbsolutePath();
    }

    public static Path defaultResultsFile() {
        return targetDir().resolve("results.jsonl");
    }
}
