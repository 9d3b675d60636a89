package dev.orderpipeline.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Node.js for the definition-level tests, found on the PATH. It is optional for {@code ./mvnw verify} (whose promise is
 * "a JDK is enough"): a missing or too old Node.js skips those tests with a reason instead of failing the build.
 */
final class NodeTool {
    private static final int MIN_MAJOR = 20;

    private NodeTool() {
    }

    /** @return why the tests cannot run here, or null when Node.js 20+ and npm are on the PATH */
    static String whyUnavailable() throws InterruptedException {
        String node = versionOf("node");
        if (node == null) {
            return "Node.js " + MIN_MAJOR + "+ is not on the PATH (the redrive definition runs in aws-local-stepfunctions)";
        }
        int major = Integer.parseInt(node.replaceFirst("^v", "").split("\\.")[0]);
        if (major < MIN_MAJOR) {
            return "Node.js " + node + " is older than " + MIN_MAJOR;
        }
        return versionOf("npm") == null ? "npm is not on the PATH" : null;
    }

    /** {@code npm ci} from the committed lock file, once per checkout (node_modules is not committed). */
    static void installDependencies(Path dir) throws IOException, InterruptedException {
        if (Files.isDirectory(dir.resolve("node_modules/aws-local-stepfunctions"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            throw new IOException("npm ci in " + dir + " failed: " + output.strip());
        }
    }

    private static String versionOf(String tool) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(List.of(tool, "--version")).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        }
    }
}
