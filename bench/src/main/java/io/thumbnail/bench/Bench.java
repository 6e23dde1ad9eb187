package io.thumbnail.bench;

import io.thumbnail.ImageFormat;
import io.thumbnail.Limits;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.Thumbnailer;
import io.thumbnail.internal.image.HeaderReader;
import io.thumbnail.internal.image.Orientation;
import io.thumbnail.quality.AreaAverage;
import io.thumbnail.quality.Ssim;
import net.coobird.thumbnailator.Thumbnails;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Thumbnails every JPEG of the given folders or files at 100 and 400 px with this pipeline and with Thumbnailator,
 * and prints speed (median ms/image, images/s on 1 and 2 threads) and quality (SSIM against an exact area-average
 * downscale of the fully decoded image) per size and per source-size group.
 *
 * <pre>java -jar bench/target/bench.jar [--rounds N] [DIR|FILE]...</pre>
 *
 * Both contenders start from the encoded bytes and end with JPEG bytes at quality 85, so decoding and encoding
 * are part of the figures. Run on an idle machine and compare ratios from one run: absolute figures move with load.
 */
public final class Bench {
    private static final int[] SIZES = {100, 400};
    private static final long LARGE = 8_000_000L;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        List<Path> roots = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds") && i + 1 < args.length) {
                rounds = Math.max(1, Integer.parseInt(args[++i]));
            } else {
                roots.add(Path.of(args[i]));
            }
        }
        if (roots.isEmpty()) {
            roots.add(defaultCorpus());
        }
        List<Photo> photos = load(roots);
        if (photos.isEmpty()) {
            System.err.println("no JPEG files in " + roots);
            System.exit(2);
        }
        System.out.printf(Locale.ROOT, "%d JPEGs (%d of 8 MP or more) from %s; %d rounds; %d CPUs; Java %s%n",
                photos.size(), photos.stream().filter(Photo::large).count(), roots, rounds,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        List<Contender> contenders = List.of(
                new Contender("thumbnail", (data, size) -> thumbnailer.thumbnail(data, ThumbnailSpec.box(size, size)).bytes()),
                new Contender("thumbnailator", Bench::thumbnailator));

        for (int size : SIZES) {
            // Thumbnailator enlarges smaller photos; that is not thumbnailing, so they sit this size out.
            List<Photo> fit = photos.stream().filter(p -> Math.max(p.upright().getWidth(), p.upright().getHeight()) >= size)
                    .toList();
            Map<String, Result> results = new HashMap<>();
            for (Contender c : contenders) {
                results.put(c.name(), Result.measure(c, fit, size, rounds));
            }
            report(size, fit, contenders, results);
        }
    }

    static byte[] thumbnailator(byte[] data, int size) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thumbnails.of(new ByteArrayInputStream(data)).size(size, size).outputFormat("jpg").outputQuality(0.85)
                    .toOutputStream(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void report(int size, List<Photo> photos, List<Contender> contenders, Map<String, Result> results) {
        System.out.printf(Locale.ROOT, "%n== %d px ==%n", size);
        System.out.printf(Locale.ROOT, "%-14s %-10s %5s %10s %10s %10s %8s %8s%n",
                "tool", "sources", "files", "median ms", "img/s 1T", "img/s 2T", "SSIM", "SSIM min");
        for (boolean largeOnly : new boolean[]{false, true}) {
            for (Contender c : contenders) {
                Result r = results.get(c.name());
                Result.Group g = r.group(photos, largeOnly);
                if (g.files() == 0) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "%-14s %-10s %5d %10.1f %10.2f %10.2f %8.4f %8.4f%n",
                        c.name(), largeOnly ? ">= 8 MP" : "all", g.files(), g.medianMs(), g.perSecond1(),
                        g.perSecond2(), g.meanSsim(), g.minSsim());
            }
            Result.Group ours = results.get(contenders.get(0).name()).group(photos, largeOnly);
            Result.Group theirs = results.get(contenders.get(1).name()).group(photos, largeOnly);
            if (ours.files() > 0) {
                System.out.printf(Locale.ROOT, "ratio thumbnail/thumbnailator (%s): %.2fx on 1 thread, %.2fx on 2 threads,"
                                + " median time %.2fx less, SSIM %+.4f%n",
                        largeOnly ? ">= 8 MP" : "all", ours.perSecond1() / theirs.perSecond1(),
                        ours.perSecond2() / theirs.perSecond2(), theirs.medianMs() / ours.medianMs(),
                        ours.meanSsim() - theirs.meanSsim());
            }
        }
    }

    private static Path defaultCorpus() {
        String corpus = System.getenv("THUMBNAIL_CORPUS");
        Path base = corpus == null || corpus.isBlank() ? Path.of("..", "shared", "corpus") : Path.of(corpus);
        return base.resolve("photos");
    }

    private static List<Photo> load(List<Path> roots) throws IOException {
        List<Photo> photos = new ArrayList<>();
        for (Path root : roots) {
            List<Path> files;
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.list(root)) {
                    files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.jpe?g"))
                            .sorted().toList();
                }
            } else {
                files = List.of(root);
            }
            for (Path f : files) {
                byte[] data = Files.readAllBytes(f);
                BufferedImage full = ImageIO.read(new ByteArrayInputStream(data));
                if (full == null) {
                    System.err.println("skipped (ImageIO cannot read it): " + f);
                    continue;
                }
                int orientation = HeaderReader.read(data, ImageFormat.JPEG).orientation();
                photos.add(new Photo(f, data, Orientation.apply(full, orientation)));
            }
        }
        return photos;
    }

    /** One JPEG: its bytes, and its upright full decode from which the quality references are made. */
    record Photo(Path path, byte[] data, BufferedImage upright) {
        boolean large() {
            return (long) upright.getWidth() * upright.getHeight() >= LARGE;
        }

        double ssim(byte[] thumbnail) {
            try {
                BufferedImage t = ImageIO.read(new ByteArrayInputStream(thumbnail));
                return Ssim.of(AreaAverage.downscale(upright, t.getWidth(), t.getHeight()), t);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A thumbnail maker under test: JPEG bytes in, JPEG bytes out. */
    record Contender(String name, Maker maker) {
    }

    @FunctionalInterface
    interface Maker {
        byte[] thumbnail(byte[] data, int size);
    }
}
