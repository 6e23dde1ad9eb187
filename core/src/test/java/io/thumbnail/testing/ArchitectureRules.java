package io.thumbnail.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The rules that keep the modules' arrows pointing down, written once for core's, the server's and the bench's
 * architecture tests. Each takes the package it judges, so its own test can show it failing on a fixture package
 * built to break it.
 */
public final class ArchitectureRules {
    /** The public classes that assemble the service; value types and exceptions beside them are not among them. */
    public static final String[] SERVICE_CLASSES = {
            "io.thumbnail.ThumbnailService", "io.thumbnail.ThumbnailServiceBuilder", "io.thumbnail.Thumbnailer"};

    private ArchitectureRules() {
    }

    /** The main classes this module compiled ({@code target/classes}): what its architecture test judges. */
    public static JavaClasses mainClasses() {
        Path classes = Path.of("target", "classes");
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException("no " + classes.toAbsolutePath() + ": run the test from its module");
        }
        return new ClassFileImporter().importPath(classes);
    }

    /** Internal code below {@code internalRoot} uses the service's parts, never the public classes assembling them. */
    public static ArchRule internalsDoNotUseTheService(String internalRoot) {
        return noClasses().that().resideInAPackage(internalRoot + "..")
                .should().dependOnClassesThat().haveFullyQualifiedName(SERVICE_CLASSES[0])
                .orShould().dependOnClassesThat().haveFullyQualifiedName(SERVICE_CLASSES[1])
                .orShould().dependOnClassesThat().haveFullyQualifiedName(SERVICE_CLASSES[2])
                .because("the arrows point down: the public service assembles the internals, not the reverse");
    }

    /**
     * The packages that {@code pattern} groups into slices ({@code "io.thumbnail.internal.(*).."} for each
     * subsystem with its subpackages, {@code "io.thumbnail.internal.(**)"} for every package) form no cycle.
     */
    public static ArchRule freeOfCycles(String pattern) {
        return slices().matching(pattern).should().beFreeOfCycles().allowEmptyShould(false);
    }

    /** Classes in {@code packages} use core through its public API only. */
    public static ArchRule useNoCoreInternals(String packages) {
        return noClasses().that().resideInAPackage(packages)
                .should().dependOnClassesThat().resideInAPackage("io.thumbnail.internal..")
                .because("core's internals may change in any release; only io.thumbnail is an API");
    }

    /** Every class is declared in {@code packages}: no module puts classes in another module's packages. */
    public static ArchRule declaredOnlyIn(String packages) {
        return classes().should().resideInAPackage(packages)
                .because("a split package blurs which module owns a class and defeats package-private access");
    }

    /** Of the classes in {@code pkg} (not its subpackages), only {@code entryPoint} is public. */
    public static ArchRule onlyPublicClass(String pkg, String entryPoint) {
        return classes().that().resideInAPackage(pkg).and().arePublic()
                .should().haveFullyQualifiedName(entryPoint)
                .because("the package is one subsystem with one entry point");
    }

    /**
     * The class files under {@code classes} that join strings through invokedynamic ({@code StringConcatFactory}),
     * as paths relative to it. The build compiles '+' on strings to plain StringBuilder code: each invokedynamic
     * concatenation spins method handles on its first use, which a short batch's start pays.
     */
    public static List<String> concatenatingByInvokedynamic(Path classes) {
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(f -> f.toString().endsWith(".class")).filter(ArchitectureRules::concatenatesByIndy)
                    .map(f -> classes.relativize(f).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean concatenatesByIndy(Path classFile) {
        try {
            // The bootstrap method's name, in the constant pool of every class that uses it.
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1)
                    .contains("makeConcatWithConstants");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
