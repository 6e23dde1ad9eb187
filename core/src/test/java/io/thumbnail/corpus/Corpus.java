package io.thumbnail.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Map.entry;

/**
 * The shared image corpus that {@code THUMBNAIL_CORPUS} names, for the conformance tests of every module: where it
 * is, what its MANIFEST.tsv lists, and the outcome each file must have.
 */
public final class Corpus {
    /**
     * The outcome the manifest's {@code expected} column asks of each file, spelled out: {@code refuse <code>}, or
     * {@code thumbnail} followed by the properties checked on it (see core's CorpusProperties).
     */
    public static final Map<String, String> OUTCOMES = Map.ofEntries(
            entry("photos/hopper.jpg", "thumbnail unscaled"),
            entry("photos/flower.jpg", "thumbnail landscape"),
            entry("photos/canon-eos400d-591x400.jpg", "thumbnail landscape"),
            entry("photos/oregon-ds6639-1600x1200.jpg", "thumbnail landscape"),
            entry("photos/nikon-d50-3008x2000.jpg", "thumbnail landscape"),
            entry("photos/pixel6pro-4080x3072.jpg", "thumbnail landscape"),
            entry("orientation/Landscape_1.jpg", "thumbnail landscape upright"),
            entry("orientation/Landscape_2.jpg", "thumbnail landscape upright"),
            entry("orientation/Landscape_3.jpg", "thumbnail landscape upright"),
            entry("orientation/Landscape_4.jpg", "thumbnail landscape upright"),
            entry("orientation/Landscape_5.jpg", "thumbnail landscape upright"),
            entry("orientation/Landscape_6.jpg", "thumbnail landscape upright"),
            entry("orientation/Landscape_7.jpg", "thumbnail landscape upright"),
            entry("orientation/Landscape_8.jpg", "thumbnail landscape upright"),
            entry("orientation/iphone-orientation6-3264x2448.jpg", "thumbnail portrait"),
            entry("color/cmyk-adobe.jpg", "thumbnail portrait mostly-blue"),
            entry("color/ycck-no-icc.jpg", "thumbnail black-with-red"),
            entry("color/ycck-swop-icc.jpg", "thumbnail portrait red-band-on-top"),
            entry("color/cmyk-with-srgb-icc.jpg", "thumbnail mostly-blue"),
            entry("color/rgb-with-cmyk-icc.jpg", "thumbnail portrait mostly-blue"),
            entry("color/empty-icc-markers.jpg", "thumbnail portrait"),
            entry("color/grayscale.jpg", "thumbnail gray"),
            entry("color/adobergb-shoes.jpg", "thumbnail landscape"),
            entry("color/displayp3-iphone-4032x3024.jpg", "thumbnail landscape"),
            entry("color/icc-rgb-to-gbr.jpg", "thumbnail labels-on-matching-colours"),
            entry("color/icc-rgb-to-gbr.png", "thumbnail labels-on-matching-colours same-as-jpeg-variant"),
            // Its alpha channel is opaque everywhere, so there is no transparency to keep.
            entry("color/displayp3-16bit-rgba.png", "thumbnail p3-logo-invisible"),
            entry("color/16bit-rgb.tiff", "thumbnail landscape"),
            entry("color/12bit.jpg", "refuse unsupported_format"),
            entry("alpha/transparent.png", "thumbnail landscape alpha"),
            entry("alpha/rgb-trns.png", "thumbnail alpha"),
            entry("alpha/palette-trns.png", "thumbnail alpha"),
            entry("alpha/gray-alpha.png", "thumbnail alpha gray"),
            entry("alpha/transparent.gif", "thumbnail landscape alpha"),
            entry("alpha/transparent.webp", "thumbnail landscape alpha"),
            entry("alpha/tiff-associated-alpha.tif", "thumbnail alpha"),
            entry("formats/animated-cogs.gif", "thumbnail landscape alpha"),
            entry("formats/animated-iss634.gif", "thumbnail"),
            entry("formats/bmp-24bit.bmp", "thumbnail unscaled"),
            entry("formats/bmp-pal8-rle.bmp", "thumbnail landscape"),
            entry("formats/bmp-rgba32.bmp", "thumbnail landscape alpha"),
            entry("formats/oregon-300x225.wbmp", "thumbnail landscape gray"),
            entry("formats/tiff-lzw.tif", "thumbnail unscaled"),
            entry("formats/tiff-jpeg.tif", "thumbnail unscaled"),
            entry("formats/bigtiff.tif", "thumbnail unscaled"),
            entry("formats/webp-lossy.webp", "thumbnail unscaled"),
            entry("formats/webp-lossless.webp", "thumbnail landscape alpha"),
            entry("formats/webp-animated.webp", "thumbnail"),
            entry("formats/progressive.jpg", "thumbnail landscape"),
            entry("formats/interlaced-adam7-rgba.png", "thumbnail landscape alpha"),
            entry("formats/avif.avif", "refuse unsupported_format"),
            entry("formats/heic.heif", "refuse unsupported_format"),
            entry("hostile/bmp-3000000x2000000.bmp", "refuse too_many_pixels"),
            // Its first frame's data ends inside the block that declares it.
            entry("hostile/gif-decompression-bomb.gif", "refuse corrupt_image"),
            entry("hostile/png-ztxt-bomb.png", "thumbnail"),
            entry("hostile/truncated-progressive.jpg", "refuse corrupt_image"),
            entry("hostile/truncated-idat.png", "refuse corrupt_image"),
            entry("hostile/bad-filter-type.png", "refuse corrupt_image"),
            entry("hostile/sos-before-sof.jpg", "refuse corrupt_image"),
            entry("hostile/seven-bytes.jpg", "refuse corrupt_image"),
            entry("hostile/bad-exif-ifd.jpg", "thumbnail gray"),
            entry("hostile/exif-bad-entry-count.jpg", "thumbnail landscape"),
            entry("hostile/tiff-bad-imagewidth-count.tif", "refuse corrupt_image"),
            entry("hostile/jpeg-bogus-dht.jpg", "refuse corrupt_image"),
            entry("hostile/empty.jpg", "refuse unsupported_format"),
            entry("hostile/random-bytes.jpg", "refuse unsupported_format"),
            entry("hostile/html-named.jpg", "refuse unsupported_format"),
            entry("hostile/png-named.jpg", "thumbnail landscape alpha"),
            entry("hostile/png-header-100000x100000.png", "refuse too_many_pixels"),
            entry("hostile/png-idat-bomb-50000x50000.png", "refuse too_many_pixels"),
            entry("hostile/gif-screen-65535x65535.gif", "refuse too_many_pixels"),
            entry("hostile/jpeg-sof-65500x65500.jpg", "refuse too_many_pixels"),
            entry("hostile/truncated-50pct.jpg", "refuse corrupt_image"),
            entry("hostile/svg-xxe.svg", "refuse unsupported_format"));

    private Corpus() {
    }

    /**
     * The folder {@code THUMBNAIL_CORPUS} names, or null when it is not set. A relative path is resolved against the
     * repository root ({@code THUMBNAIL_REPO_ROOT}, set by the build), since surefire runs in a module's folder.
     */
    public static Path root() {
        String configured = System.getenv("THUMBNAIL_CORPUS");
        if (configured == null || configured.isBlank()) {
            return null;
        }
        String repository = System.getenv("THUMBNAIL_REPO_ROOT");
        Path path = Path.of(configured);
        return path.isAbsolute() || repository == null ? path : Path.of(repository).resolve(path);
    }

    /** Each file of the manifest with its {@code expected} column, in the manifest's order. */
    public static Map<String, String> manifest(Path root) throws IOException {
        Map<String, String> manifest = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(root.resolve("MANIFEST.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] columns = line.split("\t");
            manifest.put(columns[0], columns[4]);
        }
        return manifest;
    }
}
