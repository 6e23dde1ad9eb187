package io.thumbnail.bench;

import io.thumbnail.ImageFormat;
import io.thumbnail.Limits;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.Thumbnailer;
import io.thumbnail.bench.ResultsFile.Row;
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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Thumbnails every JPEG of the given folders or files at 100 and 400 px with this pipeline, Thumbnailator and,
 * if installed, libvips' {@code vipsthumbnail}, and prints speed (images/s on 1 and 2 threads, from each photo's
 * median time over the rounds), quality (SSIM
 * against one common reference: the exact area average of the fully decoded, upright image, from core's
 * test-jar) and peak memory (two 20-megapixel JPEGs in flight). Writes the figures to
 * {@code OUT/pipeline-results.tsv} and a chart to {@code OUT/pipeline-chart.png}.
 *
 * <pre>java -jar bench/target/bench.jar [--rounds N] [--out DIR] [--no-synthetic] [--no-vips] [DIR|FILE]...</pre>
 *
 * All contenders start from the encoded file and end with JPEG at quality 85, so decoding and encoding are part
 * of the figures. Rounds are interleaved (each contender's round 1, then each one's round 2...), so that load
 * from elsewhere on the machine falls on all of them alike. Unless {@code --no-synthetic}, a 20 MP baseline and a 20 MP progressive JPEG made by
 * {@link SyntheticPhotos} join the set as their own group. Compare ratios from one run: absolute figures move
 * with load.
 */
public final class Bench {
    private static final int[] SIZES = {100, 400};
    private static final long LARGE = 8_000_000L;

    private Bench() {
    }

    /** A source group: its name in tables and chart, and which photos belong to it. */
    record Group(String name, Predicate<Photo> member) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        Path out = Path.of("bench", "target");
        boolean synthetic = true;
        boolean vips = VipsThumbnail.installed();
        List<Path> roots = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Math.max(1, Integer.parseInt(args[++i]));
                case "--out" -> out = Path.of(args[++i]);
                case "--no-synthetic" -> synthetic = false;
                case "--no-vips" -> vips = false;
                default -> roots.add(Path.of(args[i]));
            }
        }
        if (roots.isEmpty()) {
            roots.add(defaultCorpus());
        }
        Path work = Files.createTempDirectory("pipeline-bench");
        List<Photo> photos = new ArrayList<>(load(roots, false));
        if (photos.isEmpty()) {
            System.err.println("no JPEG files in " + roots);
            System.exit(2);
        }
        List<Path> twenty = List.of();
        if (synthetic) {
            BufferedImage largest = photos.stream().max(Comparator.comparingLong(Photo::pixels)).orElseThrow().upright();
            twenty = SyntheticPhotos.write(work, largest);
            photos.addAll(load(twenty, true));
        }
        System.out.printf(Locale.ROOT, "%d JPEGs (%d of 8 MP or more, %d synthetic 20 MP) from %s; %d rounds; %d CPUs;"
                        + " Java %s; vipsthumbnail: %s%n", photos.size(), photos.stream().filter(Photo::large).count(),
                twenty.size(), roots, rounds, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), vips ? VipsThumbnail.BINARY : "not used");

        System.out.println("images/s: photos / sum of each photo's median time over the rounds (in-process, warm JVM);"
                + " vipsthumbnail: one process over all files, --vips-concurrency=1, median wall time of the rounds,"
                + " start-up included; 2T = two processes over halves. SSIM: luma, against the exact area average of"
                + " the full decode. Peak RSS: a fresh process (JVM defaults) with the two 20 MP JPEGs in flight.");
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        List<Contender> contenders = List.of(
                new Contender("thumbnail", (data, size) -> thumbnailer.thumbnail(data, ThumbnailSpec.box(size, size)).bytes()),
                new Contender("thumbnailator", Bench::thumbnailator));
        List<String> tools = new ArrayList<>(List.of("thumbnail", "thumbnailator"));
        if (vips) {
            tools.add("vipsthumbnail");
        }
        List<Group> groups = List.of(
                new Group("corpus", p -> !p.synthetic()),
                new Group("corpus >= 8 MP", p -> !p.synthetic() && p.large()),
                new Group("20 MP synthetic", Photo::synthetic));
        List<Row> rows = new ArrayList<>();
        for (int size : SIZES) {
            // Thumbnailator enlarges smaller photos; that is not thumbnailing, so they sit this size out.
            List<Photo> fit = photos.stream().filter(p -> Math.max(p.upright().getWidth(), p.upright().getHeight()) >= size)
                    .toList();
            List<Row> sized = new ArrayList<>();
            List<Result> results = new ArrayList<>();
            for (Contender c : contenders) {
                results.add(Result.warmedUp(c, fit, size));
            }
            List<Group> vipsGroups = new ArrayList<>();
            List<VipsThumbnail.Batch> batches = new ArrayList<>();
            if (vips) {
                VipsThumbnail tool = new VipsThumbnail(work);
                for (Group g : groups) {
                    List<Photo> members = fit.stream().filter(g.member()).toList();
                    if (!members.isEmpty()) {
                        vipsGroups.add(g);
                        batches.add(tool.new Batch(members, size, "g" + batches.size()));
                    }
                }
            }
            for (int round = 0; round < rounds; round++) {
                for (Result r : results) {
                    r.round();
                }
                for (VipsThumbnail.Batch b : batches) {
                    b.round();
                }
            }
            for (int ci = 0; ci < contenders.size(); ci++) {
                for (Group g : groups) {
                    Result.Group figures = results.get(ci).group(fit, g.member());
                    if (figures.files() > 0) {
                        String name = contenders.get(ci).name();
                        sized.add(row(name, size, 1, figures.perSecond1(), figures.ssim(), g, figures.files()));
                        sized.add(row(name, size, 2, figures.perSecond2(), figures.ssim(), g, figures.files()));
                    }
                }
            }
            for (int bi = 0; bi < batches.size(); bi++) {
                Group g = vipsGroups.get(bi);
                List<Photo> members = fit.stream().filter(g.member()).toList();
                VipsThumbnail.Run run = batches.get(bi).result();
                List<Double> ssim = new ArrayList<>();
                for (int i = 0; i < members.size(); i++) {
                    ssim.add(members.get(i).ssim(run.thumbnails().get(i)));
                }
                sized.add(row("vipsthumbnail", size, 1, run.perSecond1(), ssim, g, members.size()));
                sized.add(row("vipsthumbnail", size, 2, run.perSecond2(), ssim, g, members.size()));
            }
            if (!twenty.isEmpty()) {
                sized = withPeakMemory(sized, size, twenty, vips ? new VipsThumbnail(work) : null);
            }
            Report.print(size, groups, tools, sized);
            rows.addAll(sized);
        }
        ResultsFile.write(out.resolve("pipeline-results.tsv"), rows);
        ThroughputChart.draw(out.resolve("pipeline-chart.png"), "JPEG thumbnails per second, 1 thread, quality 85",
                tools, rows.stream().filter(r -> !r.sources().equals("corpus")).toList());
        System.out.printf(Locale.ROOT, "%nwrote %s and %s%n", out.resolve("pipeline-results.tsv"),
                out.resolve("pipeline-chart.png"));
    }

    private static Row row(String tool, int size, int threads, double perSecond, List<Double> ssim, Group g, int files) {
        double mean = ssim.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double min = ssim.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        return new Row(tool, size, threads, perSecond, mean, min, Double.NaN, g.name(), files);
    }

    /** Measures each tool's peak RSS with the 20 MP pair in flight and puts it on that tool's rows. */
    private static List<Row> withPeakMemory(List<Row> rows, int size, List<Path> twenty, VipsThumbnail vips)
            throws IOException, InterruptedException {
        List<Row> result = new ArrayList<>(rows);
        for (String tool : rows.stream().map(Row::tool).distinct().toList()) {
            double mb = tool.equals("vipsthumbnail") ? vips.peakRssMb(twenty, size) : PeakMemory.measure(tool, size, twenty);
            result.replaceAll(r -> r.tool().equals(tool) ? new Row(r.tool(), r.size(), r.threads(), r.imagesPerS(),
                    r.ssimMean(), r.ssimMin(), mb, r.sources(), r.files()) : r);
        }
        return result;
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

    private static Path defaultCorpus() {
        String corpus = System.getenv("THUMBNAIL_CORPUS");
        Path base = corpus == null || corpus.isBlank() ? Path.of("..", "shared", "corpus") : Path.of(corpus);
        return base.resolve("photos");
    }

    private static List<Photo> load(List<Path> roots, boolean synthetic) throws IOException {
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
                photos.add(new Photo(f, data, Orientation.apply(full, orientation), synthetic));
            }
        }
        return photos;
    }

    /** One JPEG: its bytes, and its upright full decode from which the quality references are made. */
    record Photo(Path path, byte[] data, BufferedImage upright, boolean synthetic) {
        long pixels() {
            return (long) upright.getWidth() * upright.getHeight();
        }

        boolean large() {
            return pixels() >= LARGE;
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
