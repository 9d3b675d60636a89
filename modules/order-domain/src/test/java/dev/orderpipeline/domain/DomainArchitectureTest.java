package dev.orderpipeline.domain;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.orderpipeline.domain.json.OrderJson;
import org.junit.jupiter.api.Test;

/**
 * The domain is plain Java: no AWS SDK, no Lambda types, no adapter, function or emulator code. Only
 * {@code domain.json} may use Jackson; the model and the ports stay free of any serialisation library.
 */
@AnalyzeClasses(packages = "dev.orderpipeline.domain", importOptions = ImportOption.DoNotIncludeTests.class)
class DomainArchitectureTest {
    @ArchTest
    static final ArchRule domain_whenAnalysed_doesNotDependOnAwsSdkOrLambdaTypes = noClasses()
            .that().resideInAPackage("dev.orderpipeline.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..")
            .because("the domain must run and be tested without any AWS library");

    @ArchTest
    static final ArchRule domain_whenAnalysed_doesNotDependOnAdaptersFunctionsOrEmulators = noClasses()
            .that().resideInAPackage("dev.orderpipeline.domain..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.orderpipeline.aws..",
                    "dev.orderpipeline.intake..",
                    "dev.orderpipeline.confirmation..",
                    "dev.orderpipeline.emulator..")
            .because("adapters, functions and emulators depend on the domain, never the other way round");

    @ArchTest
    static final ArchRule domain_whenAnalysed_doesNotAskTheJdkWhichCurrenciesExist = noClasses()
            .that().resideInAPackage("dev.orderpipeline.domain..")
            .should().dependOnClassesThat().haveFullyQualifiedName("java.util.Currency")
            .because("the currency table is pinned in the repository (CurrencyTable): the JDK's differs between the local"
                    + " JDK and Lambda's java21 and still lists withdrawn codes");

    @ArchTest
    static final ArchRule modelAndPorts_whenAnalysed_doNotDependOnJackson = modelAndPortsWithoutJackson();

    private static ArchRule modelAndPortsWithoutJackson() {
        return noClasses()
                .that().resideInAnyPackage("dev.orderpipeline.domain.model..", "dev.orderpipeline.domain.port..")
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..")
                .because("only dev.orderpipeline.domain.json may know the JSON library");
    }

    /** Guards the guard: the same kind of rule does see Jackson where it really is used. */
    @Test
    void jacksonRule_whenAppliedToJsonPackage_detectsTheDependency() {
        JavaClasses json = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackagesOf(OrderJson.class);
        ArchRule jsonWithoutJackson = noClasses()
                .that().resideInAPackage("dev.orderpipeline.domain.json..")
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..");

        EvaluationResult result = jsonWithoutJackson.evaluate(json);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anyMatch(line -> line.contains("<" + OrderJson.class.getName() + "."));
    }

    @Test
    void domainRules_whenImported_seeModelPortAndUseCaseClasses() {
        JavaClasses domain = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.orderpipeline.domain");

        assertThat(domain.contain("dev.orderpipeline.domain.model.Money")).isTrue();
        assertThat(domain.contain("dev.orderpipeline.domain.port.OrderStore")).isTrue();
        assertThat(domain.contain("dev.orderpipeline.domain.confirmation.ConfirmOrders")).isTrue();
        assertThat(domain.contain(DomainArchitectureTest.class)).isFalse();
        assertThat(modelAndPortsWithoutJackson().evaluate(domain).hasViolation()).isFalse();
    }
}
