package io.thumbnail;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.thumbnail.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Core's arrows point down: the public service assembles the internal packages, which use its value types but never
 * the service classes; the internal packages form no cycle, whether taken by subsystem or one by one; the DCT-domain
 * JPEG decoder is entered through one class. {@code ArchitectureRulesTest} shows each rule failing on a fixture.
 */
class ArchitectureTest {
    private static final JavaClasses CORE = ArchitectureRules.mainClasses();

    @Test
    void internalPackagesDoNotUseThePublicServiceClasses() {
        ArchitectureRules.internalsDoNotUseTheService("io.thumbnail.internal").check(CORE);
    }

    @Test
    void internalSubsystemsFormNoCycle() {
        ArchitectureRules.freeOfCycles("io.thumbnail.internal.(*)..").check(CORE);
    }

    @Test
    void internalPackagesFormNoCycle() {
        ArchitectureRules.freeOfCycles("io.thumbnail.internal.(**)").check(CORE);
    }

    @Test
    void theJpegDecoderHasOneEntryPoint() {
        ArchitectureRules.onlyPublicClass("io.thumbnail.internal.image.jpeg",
                "io.thumbnail.internal.image.jpeg.ReducingJpegDecoder").check(CORE);
    }

    @Test
    void coreDeclaresClassesOnlyInItsOwnPackages() {
        ArchitectureRules.declaredOnlyIn("io.thumbnail..").check(CORE);
    }

    @Test
    void stringsAreJoinedWithoutInvokedynamic() {
        assertThat(ArchitectureRules.concatenatingByInvokedynamic(Path.of("target", "classes")))
                .as("classes compiled with invokedynamic string concatenation (the build's -XDstringConcat=inline)")
                .isEmpty();
    }
}
