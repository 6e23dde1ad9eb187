package io.thumbnail;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;

import static io.thumbnail.ImageFixtures.distance;
import static io.thumbnail.ImageFixtures.meanRgb;
import static org.assertj.core.api.Assertions.assertThat;

/** The properties {@link CorpusConformanceTest} checks on a thumbnail, by name. */
final class CorpusProperties {
    private static final Thumbnailer THUMBNAILER = Thumbnailer.create(Limits.defaults());
    private static final ThumbnailSpec BOX = ThumbnailSpec.box(200, 200);

    private CorpusProperties() {
    }

    static void check(String property, Path file, Thumbnail thumbnail, BufferedImage image, Path corpus) {
        int w = image.getWidth();
        int h = image.getHeight();
        switch (property) {
            case "landscape" -> assertThat(w).as("landscape: width > height (%dx%d)", w, h).isGreaterThan(h);
            case "portrait" -> assertThat(h).as("portrait: height > width (%dx%d)", w, h).isGreaterThan(w);
            case "unscaled" -> assertThat(w + "x" + h).as("no upscaling: source size kept")
                    .isEqualTo(thumbnail.source().width() + "x" + thumbnail.source().height());
            case "upright" -> assertUpright(image, corpus);
            case "alpha" -> assertTransparencyKeptAndFlattened(file, thumbnail, image);
            case "gray" -> {
                BufferedImage stored = ImageFixtures.readAsStored(thumbnail.bytes());
                assertThat(stored.getColorModel().getNumColorComponents())
                        .as("grey: colour channels of the %s thumbnail", thumbnail.format().id()).isEqualTo(1);
            }
            case "mostly-blue" -> {
                double[] mean = meanRgb(image, 0, 0, w, h);
                assertThat(mean[2]).as("blue dominates the mean colour %s", Arrays.toString(mean))
                        .isGreaterThan(mean[0] + 40);
            }
            case "black-with-red" -> {
                double[] background = meanRgb(image, 0, h * 4 / 5, w, h / 5);
                assertThat(Arrays.stream(background).max().orElseThrow()).as("black background %s",
                        Arrays.toString(background)).isLessThan(30);
                double[] text = meanRgb(image, w / 5, h * 2 / 5, w * 3 / 5, h / 5);
                assertThat(text[0]).as("red text %s", Arrays.toString(text)).isGreaterThan(text[1] + 50);
            }
            case "red-band-on-top" -> {
                double[] band = meanRgb(image, 0, 0, w, h / 10);
                assertThat(band[0]).as("red band %s", Arrays.toString(band)).isGreaterThan(band[1] + 100);
            }
            case "labels-on-matching-colours" -> assertLabelsOnMatchingColours(image);
            case "same-as-jpeg-variant" -> {
                BufferedImage jpegVariant = ImageFixtures.read(THUMBNAILER.thumbnail(
                        file.resolveSibling(file.getFileName().toString().replace(".png", ".jpg")), BOX).bytes());
                assertThat(gridDistance(image, jpegVariant)).as("colours as in the JPEG variant, whose profile the "
                        + "JPEG reader applies").isLessThan(12);
            }
            case "p3-logo-invisible" -> assertThat(spreadAroundMedian(image))
                    .as("99th percentile distance from the median colour: the P3-only logo is gone").isLessThan(12);
            default -> throw new IllegalArgumentException("unknown property " + property);
        }
    }

    /**
     * Same scene as Landscape_1 (stored upright), compared on an 8x8 grid of mean colours so resampling noise
     * does not count; the same scene mirrored must compare clearly worse, or the check would prove nothing.
     */
    private static void assertUpright(BufferedImage image, Path corpus) {
        BufferedImage reference = ImageFixtures.read(
                THUMBNAILER.thumbnail(corpus.resolve("orientation/Landscape_1.jpg"), BOX).bytes());
        assertThat(image.getWidth() + "x" + image.getHeight()).isEqualTo(reference.getWidth() + "x" + reference.getHeight());
        double upright = cellDifference(image, reference);
        double mirrored = cellDifference(image, mirror(reference));
        assertThat(upright).as("difference from the upright reference (mirrored: %.1f)", mirrored)
                .isLessThan(8).isLessThan(mirrored / 2);
    }

    private static BufferedImage mirror(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                out.setRGB(image.getWidth() - 1 - x, y, image.getRGB(x, y));
            }
        }
        return out;
    }

    /** PNG output keeps transparent pixels; JPEG output puts them on white, never black. */
    private static void assertTransparencyKeptAndFlattened(Path file, Thumbnail thumbnail, BufferedImage png) {
        assertThat(thumbnail.format()).as("auto format for a transparent source").isEqualTo(ImageFormat.PNG);
        BufferedImage jpeg = ImageFixtures.read(
                THUMBNAILER.thumbnail(file, BOX.withFormat(OutputFormat.JPEG)).bytes());
        int transparent = 0;
        double[] sum = new double[3];
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                if (png.getRGB(x, y) >>> 24 == 0) {
                    transparent++;
                    int p = jpeg.getRGB(x, y);
                    sum[0] += (p >> 16) & 0xFF;
                    sum[1] += (p >> 8) & 0xFF;
                    sum[2] += p & 0xFF;
                }
            }
        }
        assertThat(transparent).as("fully transparent pixels in the PNG thumbnail").isPositive();
        double[] mean = {sum[0] / transparent, sum[1] / transparent, sum[2] / transparent};
        assertThat(distance(mean, new double[] {255, 255, 255})).as("JPEG: transparent areas on white %s",
                Arrays.toString(mean)).isLessThan(16);
    }

    /** The wheel's labels sit on red (top), green (lower left) and blue (lower right) once the profile applies. */
    private static void assertLabelsOnMatchingColours(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        double[] red = meanRgb(image, w * 2 / 5, 0, w / 5, h / 5);
        double[] green = meanRgb(image, 0, h * 3 / 5, w / 5, h / 5);
        double[] blue = meanRgb(image, w * 4 / 5, h * 4 / 5, w / 5, h / 5);
        assertThat(red[0]).as("RED label region %s", Arrays.toString(red)).isGreaterThan(Math.max(red[1], red[2]) + 100);
        assertThat(green[1]).as("GREEN label region %s", Arrays.toString(green))
                .isGreaterThan(Math.max(green[0], green[2]) + 100);
        assertThat(blue[2]).as("BLUE label region %s", Arrays.toString(blue))
                .isGreaterThan(Math.max(blue[0], blue[1]) + 100);
    }

    private static double spreadAroundMedian(BufferedImage image) {
        int n = image.getWidth() * image.getHeight();
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        double[] median = new double[3];
        for (int c = 0; c < 3; c++) {
            int shift = 16 - 8 * c;
            median[c] = Arrays.stream(pixels).map(p -> (p >> shift) & 0xFF).sorted().toArray()[n / 2];
        }
        double[] distances = Arrays.stream(pixels)
                .mapToDouble(p -> distance(ImageFixtures.rgb(p), median)).sorted().toArray();
        return distances[(int) (n * 0.99)];
    }

    /** Mean over an 8x8 grid of the largest channel difference between matching cells' mean colours. */
    private static double cellDifference(BufferedImage a, BufferedImage b) {
        double sum = 0;
        int cw = a.getWidth() / 8;
        int ch = a.getHeight() / 8;
        for (int gy = 0; gy < 8; gy++) {
            for (int gx = 0; gx < 8; gx++) {
                sum += distance(meanRgb(a, gx * cw, gy * ch, cw, ch), meanRgb(b, gx * cw, gy * ch, cw, ch));
            }
        }
        return sum / 64;
    }

    /** Largest distance between the mean colours of matching cells of a 5x5 grid. */
    private static double gridDistance(BufferedImage a, BufferedImage b) {
        double worst = 0;
        for (int gy = 0; gy < 5; gy++) {
            for (int gx = 0; gx < 5; gx++) {
                double[] ma = meanRgb(a, gx * a.getWidth() / 5, gy * a.getHeight() / 5, a.getWidth() / 5, a.getHeight() / 5);
                double[] mb = meanRgb(b, gx * b.getWidth() / 5, gy * b.getHeight() / 5, b.getWidth() / 5, b.getHeight() / 5);
                worst = Math.max(worst, distance(ma, mb));
            }
        }
        return worst;
    }
}
