package io.thumbnail.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.thumbnail.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server is a client of core's public API: it declares classes only in its own packages, uses none of core's
 * internals, and its packages (the routes, then http, security and ops below them) form no cycle.
 */
class ArchitectureTest {
    private static final JavaClasses SERVER = ArchitectureRules.mainClasses();

    @Test
    void theServerUsesNoCoreInternals() {
        ArchitectureRules.useNoCoreInternals("io.thumbnail.server..").check(SERVER);
    }

    @Test
    void theServerDeclaresClassesOnlyInItsOwnPackages() {
        ArchitectureRules.declaredOnlyIn("io.thumbnail.server..").check(SERVER);
    }

    @Test
    void theServersInternalConcernsFormNoCycle() {
        ArchitectureRules.freeOfCycles("io.thumbnail.server.internal.(*)..").check(SERVER);
    }

    @Test
    void theServersPackagesFormNoCycle() {
        ArchitectureRules.freeOfCycles("io.thumbnail.server.(**)").check(SERVER);
    }

    @Test
    void stringsAreJoinedWithoutInvokedynamic() {
        assertThat(ArchitectureRules.concatenatingByInvokedynamic(Path.of("target", "classes")))
                .as("classes compiled with invokedynamic string concatenation (the build's -XDstringConcat=inline)")
                .isEmpty();
    }
}
