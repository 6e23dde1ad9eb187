package io.thumbnail.bench;

import io.thumbnail.Limits;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.Thumbnailer;
import io.thumbnail.bench.ResultsFile.Row;
import io.thumbnail.testing.BenchInternals;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Thumbnails every JPEG of the given folders or files at 100 and 400 px with this project's batch command line,
 * libvips' {@code vipsthumbnail} (if installed) and Thumbnailator, each as a whole process over all the files as
 * a user runs it, and prints per tool: images/s (files / the median wall time of the process, start-up and JIT
 * warm-up included), CPU per image (the process's, all threads), peak RSS, the JVM tools' steady state (CPU per
 * image in this process once warm), and the quality of the thumbnails: SSIM against two references made from the
 * full, upright decode, the exact area average and Lanczos3. Writes the figures to {@code OUT/pipeline-results.tsv}
 * and a chart to {@code OUT/pipeline-chart.png}.
 *
 * <pre>java -jar bench/target/bench.jar [--rounds N] [--out DIR] [--cli JAR] [--no-generated] [DIR|FILE]...</pre>
 *
 * All tools start from the encoded files and end with JPEG at quality 85. Rounds are interleaved (each tool's
 * round 1, then each one's round 2..., every other round in reverse order), so that load from elsewhere on the
 * machine, and the memory a previous tool's process left, fall on all of them alike;
 * each tool's first run, untimed, fills the page cache. Unless {@code --no-generated}, a progressive copy of every
 * photo of 8 MP or more and a 20 MP baseline and progressive pair made by {@link SyntheticPhotos} join the set.
 * Compare ratios from one run: absolute figures move with load.
 */
public final class Bench {
    private static final int[] SIZES = {100, 400};
    private static final Path VIPS = Path.of("/usr/bin/vipsthumbnail");

    private Bench() {
    }

    /**
     * A source group: its name in tables and chart, which photos belong to it, and how many times each process
     * goes over them (a longer batch, where start-up and warm-up weigh less).
     */
    record Group(String name, Predicate<Photo> member, int copies) {
    }

    /** A thumbnail maker in this process: JPEG bytes in, JPEG bytes out. */
    @FunctionalInterface
    interface Maker {
        byte[] thumbnail(byte[] data, int size);
    }

    static final String USAGE = "Usage: java -jar bench/target/bench.jar [--rounds N] [--out DIR] [--cli JAR]"
            + " [--no-generated] [PHOTO_DIR_OR_JPEG...]  (default: the corpus's photos/)";

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        Path out = Path.of("bench", "target");
        Path cli = Path.of("server", "target", "thumbnail-server.jar");
        boolean generated = true;
        List<Path> roots = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Math.max(1, Integer.parseInt(args[++i]));
                case "--out" -> out = Path.of(args[++i]);
                case "--cli" -> cli = Path.of(args[++i]);
                case "--no-generated" -> generated = false;
                default -> {
                    if (args[i].startsWith("-")) {
                        System.out.println(USAGE);
                        System.exit(args[i].equals("--help") || args[i].equals("-h") ? 0 : 2);
                    }
                    roots.add(Path.of(args[i]));
                }
            }
        }
        if (roots.isEmpty()) {
            roots.add(defaultCorpus());
        }
        if (!Files.isRegularFile(cli)) {
            System.err.println("no batch command line at " + cli + " (build it with mvn package, or give --cli JAR)");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("pipeline-bench");
        // Generated photos and every tool's thumbnails: tens of MB a run, gone however the run ends.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TempFolders.delete(work), "pipeline-bench-cleanup"));
        List<Photo> photos = new ArrayList<>(load(roots, false));
        if (photos.isEmpty()) {
            System.err.println("no JPEG files in " + roots);
            System.exit(2);
        }
        if (generated) {
            List<Path> copies = new ArrayList<>();
            for (Photo p : photos.stream().filter(Photo::large).toList()) {
                copies.add(ProgressiveCopies.write(work, p.path()));
            }
            BufferedImage largest = photos.stream().max(Comparator.comparingLong(Photo::pixels)).orElseThrow().upright();
            copies.addAll(SyntheticPhotos.write(work, largest));
            photos.addAll(load(copies, true));
        }
        List<BatchTool> tools = new ArrayList<>(List.of(BatchTool.thumbnail(cli)));
        if (BatchTool.isExecutable(VIPS)) {
            tools.add(BatchTool.vipsthumbnail(VIPS));
        }
        tools.add(BatchTool.thumbnailator());
        System.out.println(Machine.describe());
        System.out.printf(Locale.ROOT, "%d JPEGs (%d of 8 MP or more, %d generated: progressive copies and a 20 MP"
                        + " pair) from %s; %d rounds; tools: %s%n", photos.size(),
                photos.stream().filter(Photo::large).count(), photos.stream().filter(Photo::generated).count(), roots,
                rounds, tools.stream().map(BatchTool::name).toList());
        System.out.println("img/s: files / median wall time of one process over all of them (start-up and JIT"
                + " warm-up included; x4: over the files four times); CPU ms: that process's CPU (all threads) per"
                + " file; RSS: its peak; warm ms: CPU per image on one thread in a warm JVM; SSIM (luma) against the"
                + " exact area average and against Lanczos3 (Lcz) of the full decode.");

        // As on any machine after its first batch: the batch JVM's class-data archive is written by a first run.
        BatchRun.of(tools.get(0), SIZES[0], Files.createDirectories(work.resolve("first-batch")),
                List.of(photos.get(0).path()));
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        Map<String, Maker> inProcess = new LinkedHashMap<>();
        inProcess.put("thumbnail", (data, size) -> thumbnailer.thumbnail(data, ThumbnailSpec.box(size, size)).bytes());
        inProcess.put("thumbnailator", Bench::thumbnailator);
        List<Group> groups = List.of(new Group("all", p -> true, 1), new Group(">= 8 MP", Photo::large, 1),
                new Group(">= 8 MP x4", Photo::large, 4));
        List<Row> rows = new ArrayList<>();
        for (int size : SIZES) {
            // Thumbnailator enlarges smaller photos; that is not thumbnailing, so they sit this size out.
            List<Photo> fit = photos.stream().filter(p -> p.longSide() >= size).toList();
            List<Row> sized = new ArrayList<>();
            Map<String, WarmTimes> warm = new LinkedHashMap<>();
            inProcess.forEach((name, maker) -> warm.put(name, new WarmTimes(maker, fit, size)));
            for (Group g : groups) {
                List<Photo> members = fit.stream().filter(g.member()).toList();
                if (members.isEmpty()) {
                    continue;
                }
                List<Photo> batch = new ArrayList<>();
                for (int copy = 0; copy < g.copies(); copy++) {
                    batch.addAll(members);
                }
                // Thumbnailer's long batch would take minutes and show nothing new: its start is a small part.
                List<BatchTool> running = g.copies() == 1 ? tools
                        : tools.stream().filter(t -> !t.name().equals("thumbnailator")).toList();
                Batches batches = new Batches(work.resolve(size + "-" + g.name().replaceAll("[^a-z0-9]", "")),
                        batch, running, size);
                for (int round = 0; round < rounds; round++) {
                    batches.round();
                    warm.values().forEach(WarmTimes::round);
                }
                for (BatchTool tool : running) {
                    WarmTimes w = warm.get(tool.name());
                    sized.add(batches.row(tool, g.name(), w == null ? Double.NaN : w.msPerImage(members)));
                }
            }
            sized.sort(Comparator.comparing((Row r) -> groups.indexOf(groupNamed(groups, r.sources()))));
            Report.print(size, sized);
            rows.addAll(sized);
        }
        ResultsFile.write(out.resolve("pipeline-results.tsv"), rows);
        ThroughputChart.draw(out.resolve("pipeline-chart.png"), "JPEG thumbnails per second, whole process,"
                + " photos of 8 MP or more", tools.stream().map(BatchTool::name).toList(),
                rows.stream().filter(r -> r.sources().startsWith(">= 8 MP")).toList());
        System.out.printf(Locale.ROOT, "%nwrote %s and %s%n", out.resolve("pipeline-results.tsv"),
                out.resolve("pipeline-chart.png"));
    }

    private static Group groupNamed(List<Group> groups, String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
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

    private static List<Photo> load(List<Path> roots, boolean generated) throws IOException {
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
                photos.add(new Photo(f, data, BenchInternals.uprightJpeg(data, full), generated));
            }
        }
        return photos;
    }
}
