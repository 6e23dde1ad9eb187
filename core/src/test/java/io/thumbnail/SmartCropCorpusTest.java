package io.thumbnail;

import io.thumbnail.corpus.Corpus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Smart crops of the corpus photos (named by {@code THUMBNAIL_CORPUS}; skipped without it): never less detail than
 * the centre crop, and found in the upright image whatever the EXIF orientation.
 */
class SmartCropCorpusTest {
    private static final List<String> PHOTOS = List.of(
            "photos/flower.jpg", "photos/canon-eos400d-591x400.jpg", "photos/oregon-ds6639-1600x1200.jpg",
            "photos/nikon-d50-3008x2000.jpg", "photos/pixel6pro-4080x3072.jpg", "photos/hopper.jpg",
            "orientation/Landscape_1.jpg", "orientation/Landscape_6.jpg", "orientation/iphone-orientation6-3264x2448.jpg",
            "color/adobergb-shoes.jpg", "color/displayp3-iphone-4032x3024.jpg", "color/empty-icc-markers.jpg");
    private static final int[][] BOXES = {{100, 100}, {200, 100}, {100, 300}, {300, 100}, {400, 400}};
    private static final Thumbnailer THUMBNAILER = Thumbnailer.create(Limits.defaults());

    private final Path corpus = Corpus.root();

    @BeforeEach
    void requireCorpus() {
        assumeTrue(corpus != null, "THUMBNAIL_CORPUS is not set");
    }

    @TestFactory
    Stream<DynamicTest> a_smart_crop_never_shows_less_detail_than_the_centre_crop() {
        return PHOTOS.stream().map(photo -> DynamicTest.dynamicTest(photo, () -> {
            for (int[] box : BOXES) {
                ThumbnailSpec centre = ThumbnailSpec.box(box[0], box[1]).withFit(Fit.COVER).withFormat(OutputFormat.PNG);
                double centred = Detail.of(thumbnail(photo, centre));
                double smart = Detail.of(thumbnail(photo, centre.withGravity(Gravity.SMART)));

                assertThat(smart).as("%s at %dx%d: mean gradient of L* in the smart crop (the centre crop's: %.2f)",
                        photo, box[0], box[1], centred).isGreaterThanOrEqualTo(centred);
            }
        }));
    }

    @Test
    void a_sideways_photo_is_cropped_where_its_upright_twin_is() {
        for (ThumbnailSpec spec : List.of(
                ThumbnailSpec.box(100, 300).withFit(Fit.COVER).withGravity(Gravity.SMART),
                ThumbnailSpec.box(100, 300).withFit(Fit.COVER).withFocus(new FocalPoint(0, 0)),
                ThumbnailSpec.box(100, 300).withFit(Fit.COVER).withFocus(new FocalPoint(0.9, 0.5)))) {
            BufferedImage upright = thumbnail("orientation/Landscape_1.jpg", spec.withFormat(OutputFormat.PNG));
            BufferedImage sideways = thumbnail("orientation/Landscape_6.jpg", spec.withFormat(OutputFormat.PNG));
            BufferedImage centre = thumbnail("orientation/Landscape_1.jpg",
                    ThumbnailSpec.box(100, 300).withFit(Fit.COVER).withFormat(OutputFormat.PNG));

            double twins = Detail.cellDifference(upright, sideways);
            assertThat(twins).as("%s: orientation 6 against 1, on an 8x8 grid of mean colours (against the centre crop: %.1f)",
                    spec.gravity().id() + (spec.focus() == null ? "" : " focus " + spec.focus()),
                    Detail.cellDifference(upright, centre)).isLessThan(6);
        }
    }

    private BufferedImage thumbnail(String photo, ThumbnailSpec spec) {
        return ImageFixtures.read(THUMBNAILER.thumbnail(corpus.resolve(photo), spec).bytes());
    }

    /** Measures of what a thumbnail shows. */
    static final class Detail {
        private Detail() {
        }

        /**
         * The mean gradient magnitude (3x3 Sobel) of CIE L* (0-100) over the image's inner pixels: how much detail it
         * shows, with dark and light detail weighed as the eye weighs them.
         */
        static double of(BufferedImage image) {
            int w = image.getWidth();
            int h = image.getHeight();
            double[] l = new double[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    l[y * w + x] = lightness(image.getRGB(x, y));
                }
            }
            double sum = 0;
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    int i = y * w + x;
                    double gx = l[i - w + 1] + 2 * l[i + 1] + l[i + w + 1] - l[i - w - 1] - 2 * l[i - 1] - l[i + w - 1];
                    double gy = l[i + w - 1] + 2 * l[i + w] + l[i + w + 1] - l[i - w - 1] - 2 * l[i - w] - l[i - w + 1];
                    sum += Math.sqrt(gx * gx + gy * gy);
                }
            }
            return sum / ((w - 2) * (h - 2));
        }

        private static double lightness(int rgb) {
            double y = 0.2126 * linear(rgb >> 16) + 0.7152 * linear(rgb >> 8) + 0.0722 * linear(rgb);
            return 116 * (y > 216.0 / 24389 ? Math.cbrt(y) : (24389.0 / 27 * y + 16) / 116) - 16;
        }

        private static double linear(int channel) {
            double c = (channel & 0xFF) / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        }

        /** The mean distance between the mean colours of an 8x8 grid of cells of two images of one size. */
        static double cellDifference(BufferedImage a, BufferedImage b) {
            assertThat(a.getWidth() + "x" + a.getHeight()).isEqualTo(b.getWidth() + "x" + b.getHeight());
            double sum = 0;
            for (int cy = 0; cy < 8; cy++) {
                for (int cx = 0; cx < 8; cx++) {
                    int x0 = cx * a.getWidth() / 8;
                    int y0 = cy * a.getHeight() / 8;
                    int w = (cx + 1) * a.getWidth() / 8 - x0;
                    int h = (cy + 1) * a.getHeight() / 8 - y0;
                    sum += ImageFixtures.distance(ImageFixtures.meanRgb(a, x0, y0, w, h),
                            ImageFixtures.meanRgb(b, x0, y0, w, h));
                }
            }
            return sum / 64;
        }
    }
}
