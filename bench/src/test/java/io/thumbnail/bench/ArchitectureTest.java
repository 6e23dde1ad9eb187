package io.thumbnail.bench;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.thumbnail.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks measure what users get: they use core's public API and core's test-jar support, never core's
 * internals, and declare classes only in their own package.
 */
class ArchitectureTest {
    private static final JavaClasses BENCH = ArchitectureRules.mainClasses();

    @Test
    void theBenchUsesNoCoreInternals() {
        ArchitectureRules.useNoCoreInternals("io.thumbnail.bench..").check(BENCH);
    }

    @Test
    void theBenchDeclaresClassesOnlyInItsOwnPackage() {
        ArchitectureRules.declaredOnlyIn("io.thumbnail.bench..").check(BENCH);
    }
}
