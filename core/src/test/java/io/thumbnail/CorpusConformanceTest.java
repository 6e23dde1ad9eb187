package io.thumbnail;

import io.thumbnail.corpus.Corpus;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Conformance on the real corpus named by {@code THUMBNAIL_CORPUS} (relative paths are resolved against the
 * repository root). Every file of its MANIFEST.tsv must have an entry in {@link Corpus#OUTCOMES}, which spells out
 * the outcome the manifest's {@code expected} column asks for: {@code refuse <code>}, or {@code thumbnail}
 * followed by the properties checked on it.
 */
class CorpusConformanceTest {
    private static final ThumbnailSpec BOX = ThumbnailSpec.box(200, 200);
    private static final Thumbnailer THUMBNAILER = Thumbnailer.create(Limits.defaults());

    private static Path corpus;
    private static Map<String, String> manifest;

    @BeforeAll
    static void readManifest() throws IOException {
        corpus = Corpus.root();
        if (corpus != null) {
            manifest = Corpus.manifest(corpus);
        }
    }

    @BeforeEach
    void requireCorpus() {
        assumeTrue(manifest != null, "THUMBNAIL_CORPUS is not set; run with "
                + "THUMBNAIL_CORPUS=/work/shared/corpus mvn -pl core test (CI sets ../shared/corpus)");
    }

    @Test
    void every_file_in_the_manifest_has_an_expectation() {
        assertThat(Corpus.OUTCOMES).as("expectations for the manifest's files").containsKeys(manifest.keySet().toArray(String[]::new));
    }

    @Test
    void every_expectation_names_a_file_in_the_manifest() {
        assertThat(manifest).as("manifest entries for the expectations").containsKeys(Corpus.OUTCOMES.keySet().toArray(String[]::new));
    }

    @TestFactory
    Stream<DynamicTest> every_file_gets_its_expected_outcome() {
        return manifest.entrySet().stream().map(row -> DynamicTest.dynamicTest(row.getKey(), () -> {
            String expectation = Corpus.OUTCOMES.get(row.getKey());
            if (expectation == null) {
                fail("no expectation for %s (manifest: %s)", row.getKey(), row.getValue());
            }
            check(row.getKey(), expectation);
        }));
    }

    private static void check(String file, String expectation) throws IOException {
        List<String> words = Arrays.asList(expectation.split(" "));
        Path path = corpus.resolve(file);
        if (words.get(0).equals("refuse")) {
            ErrorCode code = ErrorCode.fromId(words.get(1));
            assertThatThrownBy(() -> THUMBNAILER.thumbnail(path, BOX)).as(file)
                    .isInstanceOfSatisfying(ThumbnailException.class,
                            e -> assertThat(e.code()).as("%s: %s", file, e.getMessage()).isEqualTo(code));
            return;
        }
        Thumbnail thumbnail = THUMBNAILER.thumbnail(path, BOX);
        BufferedImage image = ImageFixtures.read(thumbnail.bytes());
        assertThat(image.getWidth()).as("width read back").isEqualTo(thumbnail.width());
        assertThat(Math.max(thumbnail.width(), thumbnail.height())).as("fits the box").isLessThanOrEqualTo(200);
        for (String property : words.subList(1, words.size())) {
            CorpusProperties.check(property, path, thumbnail, image, corpus);
        }
    }
}
