package dev.orderpipeline.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The deployment package as {@code template.yaml}'s CodeUri ships it ({@code target/intake-function.zip}, built in the
 * package phase, hence an IT): only runtime jars, no emulator, test library, unused SDK client or unused HTTP
 * client. Prints the jars with their sizes (the table in docs/security.md is made from this listing).
 */
class FunctionPackageContentsIT {
    private static final String MODULE = "intake-function";
    /** Emulators, test libraries, and HTTP stacks the functions do not use (they use UrlConnectionHttpClient). */
    private static final Pattern FORBIDDEN = Pattern.compile(
            "elasticmq|pekko|scala|dynamodb-emulator|eventbridge-emulator|junit|mockito|assertj|netty|apache-client"
                    + "|httpclient|jetty|aws-java-sdk|opentest4j|byte-buddy|awaitility|archunit|jqwik|json-schema-validator");
    /** The SDK client this function never calls, excluded in its pom. */
    private static final Pattern UNUSED_CLIENT = Pattern.compile("lib/eventbridge-[0-9]");

    record Jar(String name, long size) {
    }

    @Test
    void zip_whenPackaged_holdsTheFunctionAndItsRuntimeJarsButNoEmulatorOrTestLibrary() throws IOException {
        Path zip = Path.of(System.getProperty("basedir", ".")).resolve("target").resolve(MODULE + ".zip");
        assertThat(zip).as("the deployment package (built by mvn package)").isRegularFile();

        List<Jar> jars = jars(zip);
        print(zip, jars);

        assertThat(jars).extracting(Jar::name)
                .anyMatch(name -> name.matches("lib/" + MODULE + "-[0-9].*\\.jar"))
                .noneMatch(name -> FORBIDDEN.matcher(name).find())
                .noneMatch(name -> UNUSED_CLIENT.matcher(name).find());
        assertThat(jars).allSatisfy(jar -> assertThat(jar.name()).startsWith("lib/").endsWith(".jar"));
    }

    private static List<Jar> jars(Path zip) throws IOException {
        List<Jar> jars = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(file.entries())) {
                if (!entry.isDirectory()) {
                    jars.add(new Jar(entry.getName(), entry.getSize()));
                }
            }
        }
        jars.sort(Comparator.comparingLong(Jar::size).reversed().thenComparing(Jar::name));
        return jars;
    }

    private static void print(Path zip, List<Jar> jars) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s: %d jars, %,d bytes uncompressed, %,d bytes zipped%n", MODULE, jars.size(),
                jars.stream().mapToLong(Jar::size).sum(), Files.size(zip)));
        for (Jar jar : jars) {
            sb.append(String.format("%,12d  %s%n", jar.size(), jar.name()));
        }
        System.out.print(sb);
    }
}
