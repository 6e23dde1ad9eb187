package io.thumbnail;

import io.thumbnail.corpus.Corpus;
import io.thumbnail.quality.Ssim;
import io.thumbnail.quality.WebpDecoders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every corpus image that makes a thumbnail makes a WebP one that the decoders people use read back as the same
 * picture: libwebp (what browsers show) and {@code dwebp} give the pixels of the lossless thumbnail within lossy
 * error and its alpha exactly, and agree with each other to the bit; {@code vipsheader} reads its size and bands.
 * TwelveMonkeys' reader is held only to reading it at the right size: it decodes some lossy WebP wrongly, silently,
 * which is why the pipeline reads still WebP with libwebp.
 */
class CorpusWebpTest {
    private static final ThumbnailSpec BOX = ThumbnailSpec.box(200, 200);
    private static final Thumbnailer THUMBNAILER = Thumbnailer.create(Limits.defaults());
    /**
     * Lowest SSIM (luma, composited on white) of a WebP thumbnail against the lossless one; the corpus's lowest is a
     * noisy phone photo's, about 0.95.
     */
    private static final double MIN_SSIM = 0.93;

    private static Path corpus;
    private static Map<String, String> manifest;

    @BeforeAll
    static void readManifest() throws IOException {
        corpus = Corpus.root();
        if (corpus != null) {
            manifest = Corpus.manifest(corpus);
        }
    }

    @TestFactory
    Stream<DynamicTest> every_thumbnail_of_the_corpus_round_trips_through_webp() {
        assumeTrue(manifest != null, "THUMBNAIL_CORPUS is not set");
        return manifest.keySet().stream().sorted()
                .filter(file -> Corpus.OUTCOMES.getOrDefault(file, "").startsWith("thumbnail"))
                .map(file -> DynamicTest.dynamicTest(file, () -> check(file)));
    }

    private static void check(String file) {
        Path path = corpus.resolve(file);
        BufferedImage lossless = Fixtures.read(THUMBNAILER.thumbnail(path, BOX.withFormat(OutputFormat.PNG)).bytes());
        Thumbnail webp = THUMBNAILER.thumbnail(path, BOX.withFormat(OutputFormat.WEBP));
        boolean alpha = lossless.getColorModel().hasAlpha();

        BufferedImage libwebp = WebpDecoders.libwebp(webp.bytes());
        assertThat(size(libwebp)).as("%s: libwebp's size", file).isEqualTo(size(lossless));
        assertThat(alphaOf(libwebp)).as("%s: alpha as libwebp reads it", file).isEqualTo(alphaOf(argb(lossless)));
        if (lossless.getWidth() >= 11 && lossless.getHeight() >= 11) {
            assertThat(Ssim.of(onWhite(argb(lossless)), onWhite(libwebp))).as("%s: SSIM of libwebp's decode", file)
                    .isGreaterThan(MIN_SSIM);
        }

        Optional<BufferedImage> dwebp = WebpDecoders.dwebp(webp.bytes());
        dwebp.ifPresent(d -> assertThat(pixels(d)).as("%s: dwebp's decode equals libwebp's", file)
                .isEqualTo(pixels(libwebp)));

        BufferedImage twelveMonkeys = WebpDecoders.twelveMonkeys(webp.bytes());
        assertThat(size(twelveMonkeys)).as("%s: TwelveMonkeys' size", file).isEqualTo(size(lossless));

        WebpDecoders.vipsheader(webp.bytes()).ifPresent(header -> assertThat(header).as("%s: vipsheader", file)
                .isEqualTo(size(lossless) + " " + (alpha ? 4 : 3)));
    }

    private static String size(BufferedImage image) {
        return image.getWidth() + "x" + image.getHeight();
    }

    private static BufferedImage argb(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
        out.setRGB(0, 0, image.getWidth(), image.getHeight(), pixels(image), 0, image.getWidth());
        return out;
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static int[] alphaOf(BufferedImage image) {
        int[] p = pixels(image);
        for (int i = 0; i < p.length; i++) {
            p[i] >>>= 24;
        }
        return p;
    }

    /** What a viewer shows on a white page: the colour under full transparency means nothing. */
    private static BufferedImage onWhite(BufferedImage image) {
        int[] p = pixels(image);
        for (int i = 0; i < p.length; i++) {
            int a = p[i] >>> 24;
            int r = ((p[i] >> 16 & 0xFF) * a + 255 * (255 - a)) / 255;
            int g = ((p[i] >> 8 & 0xFF) * a + 255 * (255 - a)) / 255;
            int b = ((p[i] & 0xFF) * a + 255 * (255 - a)) / 255;
            p[i] = 0xFF000000 | r << 16 | g << 8 | b;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, image.getWidth(), image.getHeight(), p, 0, image.getWidth());
        return out;
    }
}
