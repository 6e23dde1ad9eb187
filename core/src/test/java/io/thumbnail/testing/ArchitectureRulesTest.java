package io.thumbnail.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each architecture rule fails on a fixture package built to break it and passes where nothing breaks it: a rule
 * that cannot fail would guard nothing.
 */
class ArchitectureRulesTest {
    private static final String FIXTURE = "io.thumbnail.archfixture";
    private static final JavaClasses FIXTURES = new ClassFileImporter().importPackages(FIXTURE);

    @Test
    void anInternalClassUsingThePublicServiceBreaksTheDownwardRule() {
        EvaluationResult result = ArchitectureRules.internalsDoNotUseTheService(FIXTURE + ".internal")
                .evaluate(FIXTURES);

        assertThat(result.hasViolation()).as("violation for UsesService").isTrue();
        assertThat(result.getFailureReport().getDetails())
                .as("every violation names the class reaching up, and only it")
                .isNotEmpty()
                .allMatch(line -> line.contains("UsesService"))
                .anyMatch(line -> line.contains("io.thumbnail.ThumbnailService"));
    }

    @Test
    void internalClassesUsingOnlyValueTypesPassTheDownwardRule() {
        EvaluationResult result = ArchitectureRules.internalsDoNotUseTheService(FIXTURE + ".internal.fine")
                .evaluate(FIXTURES);

        assertThat(result.getFailureReport().getDetails()).as("violations in the value-types-only package").isEmpty();
    }

    @Test
    void twoPackagesUsingEachOtherFormACycle() {
        EvaluationResult result = ArchitectureRules.freeOfCycles(FIXTURE + ".internal.(*)..").evaluate(FIXTURES);

        assertThat(result.hasViolation()).as("cycle between cyclea and cycleb found").isTrue();
        assertThat(result.getFailureReport().toString()).contains("cyclea", "cycleb");
    }

    @Test
    void packagesWithoutACyclePassTheCycleRule() {
        EvaluationResult result = ArchitectureRules.freeOfCycles(FIXTURE + ".(subsystem|server|internal.fine)..")
                .evaluate(FIXTURES);

        assertThat(result.getFailureReport().getDetails()).as("cycles among acyclic fixture packages").isEmpty();
    }

    @Test
    void aSlicePatternMatchingNothingFailsRatherThanPassingEmpty() {
        assertThatThrownBy(() -> ArchitectureRules.freeOfCycles(FIXTURE + ".nowhere.(*)..").evaluate(FIXTURES))
                .as("a rule over no package is a typo, not a pass")
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("failed to check any classes");
    }

    @Test
    void aClassOutsideCoreUsingCoreInternalsBreaksThePublicApiRule() {
        EvaluationResult result = ArchitectureRules.useNoCoreInternals(FIXTURE + ".server..").evaluate(FIXTURES);

        assertThat(result.hasViolation()).as("violation for UsesCoreInternals").isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anyMatch(line -> line.contains("UsesCoreInternals") && line.contains("FormatSniffer"));
    }

    @Test
    void aClassUsingOnlyThePublicApiPassesThePublicApiRule() {
        EvaluationResult result = ArchitectureRules.useNoCoreInternals(FIXTURE + ".internal.fine..")
                .evaluate(FIXTURES);

        assertThat(result.getFailureReport().getDetails()).as("violations of a public-API-only class").isEmpty();
    }

    @Test
    void aClassInAnotherModulesPackageBreaksThePackageRule() {
        EvaluationResult result = ArchitectureRules.declaredOnlyIn(FIXTURE + ".server..").evaluate(FIXTURES);

        assertThat(result.hasViolation()).as("fixture classes outside .server").isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anyMatch(line -> line.contains("Entry"))
                .noneMatch(line -> line.contains("UsesCoreInternals"));
    }

    @Test
    void aSecondPublicClassInASubsystemBreaksTheEntryPointRule() {
        EvaluationResult result = ArchitectureRules.onlyPublicClass(FIXTURE + ".subsystem", FIXTURE + ".subsystem.Entry")
                .evaluate(FIXTURES);

        assertThat(result.getFailureReport().getDetails())
                .as("the leaked class, and only it")
                .hasSize(1)
                .allMatch(line -> line.contains("Leaked"));
    }

    @Test
    void aClassCompiledWithInvokedynamicConcatenationIsNamed(@TempDir Path dir) throws IOException {
        Path classes = compileJoiner(dir, List.of());

        assertThat(ArchitectureRules.concatenatingByInvokedynamic(classes)).as("javac's default form")
                .containsExactly("Joiner.class");
    }

    @Test
    void aClassCompiledWithInlineConcatenationPasses(@TempDir Path dir) throws IOException {
        Path classes = compileJoiner(dir, List.of("-XDstringConcat=inline"));

        assertThat(ArchitectureRules.concatenatingByInvokedynamic(classes)).as("StringBuilder code").isEmpty();
    }

    /** A class joining a string and a number, compiled by the JDK's javac with {@code options} into dir/classes. */
    private static Path compileJoiner(Path dir, List<String> options) throws IOException {
        Path source = Files.writeString(dir.resolve("Joiner.java"),
                "class Joiner { static String join(int n) { return \"n=\" + n; } }");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> arguments = new ArrayList<>(options);
        arguments.addAll(List.of("-d", classes.toString(), source.toString()));
        int exit = ToolProvider.getSystemJavaCompiler().run(null, null, null, arguments.toArray(String[]::new));
        assertThat(exit).as("javac's exit code").isZero();
        return classes;
    }
}
