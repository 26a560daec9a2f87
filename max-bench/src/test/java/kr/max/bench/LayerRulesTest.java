package kr.max.bench;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the picture of ARCHITECTURE.md true: a module imports only modules on lower layers, and
 * nothing imports the benchmarks.
 */
class LayerRulesTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // Test classes stay out, also those that reach this classpath in a module's test jar (the policy
        // throughput harness, which max-bench runs).
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("kr.max");
    }

    @Test
    void modulesDependOnlyOnLowerLayers() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("core").definedBy("kr.max.core..")
                .layer("library").definedBy("kr.max.library..")
                .layer("models").definedBy("kr.max.models..")
                .layer("factory").definedBy("kr.max.factory..")
                .layer("cli").definedBy("kr.max.cli..")
                .layer("server").definedBy("kr.max.server..")
                .layer("bench").definedBy("kr.max.bench..")
                .whereLayer("bench").mayNotBeAccessedByAnyLayer()
                .whereLayer("cli").mayOnlyBeAccessedByLayers("bench")
                // The max command starts the server (max serve, max demo): the CLI sits on top of it (decision 0006).
                .whereLayer("server").mayOnlyBeAccessedByLayers("cli", "bench")
                .whereLayer("factory").mayOnlyBeAccessedByLayers("cli", "server", "bench")
                .whereLayer("models").mayOnlyBeAccessedByLayers("factory", "cli", "server", "bench")
                .whereLayer("library").mayOnlyBeAccessedByLayers("models", "factory", "cli", "server", "bench")
                .whereLayer("core").mayOnlyBeAccessedByLayers("library", "models", "factory", "cli", "server", "bench")
                .check(classes);
    }

    @Test
    void theServerIsOnTheClasspathOfTheseRules() {
        // Without it the layer rule above would pass vacuously for the server.
        assertThat(classes.contain("kr.max.server.MaxServer")).isTrue();
    }

    @Test
    void theModelsAreOnTheClasspathOfTheseRules() {
        assertThat(classes.contain("kr.max.models.ModelType")).isTrue();
    }

    @Test
    void theFactoryIsOnTheClasspathOfTheseRules() {
        assertThat(classes.contain("kr.max.factory.twin.LineSimulator")).isTrue();
        assertThat(classes.contain("kr.max.factory.assets.AssetModel")).isTrue();
    }

    @Test
    void coreHasNoThirdPartyDependencies() {
        noClasses().that().resideInAPackage("kr.max.core..")
                .should().dependOnClassesThat().resideOutsideOfPackages("kr.max.core..", "java..")
                .check(classes);
    }

    @Test
    void theLibraryNeverPrintsToTheConsole() {
        // Values and secrets must not leak into logs or terminals from inside the library.
        noClasses().that().resideInAPackage("kr.max.library..")
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .check(classes);
    }

    @Test
    void theFactoryNeverPrintsToTheConsole() {
        // The simulator runs inside the server; what it has to say goes to listeners and exceptions.
        noClasses().that().resideInAPackage("kr.max.factory..")
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .check(classes);
    }

    @Test
    void theServerNeverPrintsToTheConsole() {
        // Requests carry tokens and values; only the logger, which never gets them, may speak.
        noClasses().that().resideInAPackage("kr.max.server..")
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .check(classes);
    }
}
