package dev.orderpipeline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The deployment package as {@code template.yaml}'s CodeUri ships it ({@code target/<module>.zip}, built in the
 * package phase, hence run as an IT): only runtime jars, no emulator, test library, unused SDK client or unused HTTP
 * client, and under the 15 MB target (issue #7). Prints the jars with their sizes (the table in docs/security.md is
 * made from this listing).
 *
 * <p>Each function module extends this as its own {@code FunctionPackageContentsIT}, so failsafe runs it there, with
 * that module's {@code basedir}.
 */
public abstract class FunctionPackageContract {
    /**
     * Emulators, test libraries (this module included: the functions take it at test scope only), and HTTP stacks the
     * functions do not use (they use UrlConnectionHttpClient).
     */
    private static final Pattern FORBIDDEN = Pattern.compile(
            "elasticmq|pekko|scala|dynamodb-emulator|eventbridge-emulator|junit|mockito|assertj|netty|apache-client"
                    + "|httpclient|jetty|aws-java-sdk|opentest4j|byte-buddy|awaitility|archunit|jqwik|quicktheories|json-schema-validator"
                    + "|function-test-support");
    /** Issue #7: each function's deployment package under 15 MB (decimal, as the zip's size in bytes). */
    private static final long MAX_ZIP_BYTES = 15_000_000L;
    /**
     * Transitive jars the function never loads, excluded in its pom: Powertools' JMESPath and Joda-Jackson (only
     * {@code JsonConfig} uses them: correlation-id paths, event logging, structured arguments holding objects) and the
     * JSR-310 Jackson module (no class in the package refers to it). A dependency bump that brings one back fails here.
     */
    private static final Pattern EXCLUDED_AS_UNUSED = Pattern.compile(
            "lib/(jmespath-core|jmespath-jackson|jackson-datatype-joda|jackson-datatype-jsr310)-[0-9]");
    /**
     * Needed although no class of ours refers to it: the Lambda Java runtime deserializes SQSEvent (and the other
     * events it has Jackson mixins for) with a module that loads {@code org.joda.time.DateTime} from the function's
     * class loader. Intake's API Gateway v2 event is not among them today; both packages keep it all the same.
     */
    private static final Pattern REQUIRED_BY_THE_RUNTIME = Pattern.compile("lib/joda-time-[0-9]");
    /** Powertools' SnapStart hook preloads classes that reference AspectJ types (SnapStartHooksTest). */
    private static final Pattern REQUIRED_BY_SNAPSTART = Pattern.compile("lib/aspectjrt-[0-9]");

    private final String module;
    private final Pattern unusedClient;

    /**
     * @param module the function's artifactId: its zip is {@code target/<module>.zip} and its own jar
     *     {@code lib/<module>-<version>.jar}
     * @param unusedSdkClient the artifactId of the SDK client this function never calls, excluded in its pom (for
     *     example {@code eventbridge})
     */
    protected FunctionPackageContract(String module, String unusedSdkClient) {
        this.module = Objects.requireNonNull(module, "module");
        this.unusedClient = Pattern.compile("lib/" + Pattern.quote(unusedSdkClient) + "-[0-9]");
    }

    private record Jar(String name, long size) {
    }

    @Test
    public void zip_whenPackaged_holdsTheFunctionAndItsRuntimeJarsButNoEmulatorOrTestLibrary() throws IOException {
        Path zip = zip();
        assertThat(zip).as("the deployment package (built by mvn package)").isRegularFile();

        List<Jar> jars = jars(zip);
        print(zip, jars);

        assertThat(jars).extracting(Jar::name)
                .anyMatch(name -> name.matches("lib/" + module + "-[0-9].*\\.jar"))
                .noneMatch(name -> FORBIDDEN.matcher(name).find())
                .noneMatch(name -> unusedClient.matcher(name).find());
        assertThat(jars).allSatisfy(jar -> assertThat(jar.name()).startsWith("lib/").endsWith(".jar"));
    }

    @Test
    public void zip_whenPackaged_staysUnder15MbWithoutTheJarsExcludedAsUnused() throws IOException {
        Path zip = zip();
        assertThat(zip).as("the deployment package (built by mvn package)").isRegularFile();

        List<Jar> jars = jars(zip);
        assertThat(Files.size(zip)).as("%s in bytes (issue #7: under 15 MB)", zip.getFileName()).isLessThan(MAX_ZIP_BYTES);
        assertThat(jars).extracting(Jar::name)
                .as("jars excluded in the pom as unused (see the exclusions' comments)")
                .noneMatch(name -> EXCLUDED_AS_UNUSED.matcher(name).find())
                .as("joda-time, which the Lambda runtime's event deserializer loads")
                .anyMatch(name -> REQUIRED_BY_THE_RUNTIME.matcher(name).find())
                .as("aspectjrt, which Powertools' SnapStart hook needs")
                .anyMatch(name -> REQUIRED_BY_SNAPSTART.matcher(name).find());
    }

    /** Failsafe sets {@code basedir} to the module running the test. */
    private Path zip() {
        return Path.of(System.getProperty("basedir", ".")).resolve("target").resolve(module + ".zip");
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

    private void print(Path zip, List<Jar> jars) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s: %d jars, %,d bytes uncompressed, %,d bytes zipped%n", module, jars.size(),
                jars.stream().mapToLong(Jar::size).sum(), Files.size(zip)));
        for (Jar jar : jars) {
            sb.append(String.format("%,12d  %s%n", jar.size(), jar.name()));
        }
        System.out.print(sb);
    }
}
