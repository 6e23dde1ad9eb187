package io.thumbnail.bench;

import io.thumbnail.Fit;
import io.thumbnail.Gravity;
import io.thumbnail.Limits;
import io.thumbnail.OutputFormat;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.Thumbnailer;
import io.thumbnail.testing.BenchInternals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What {@code gravity=smart} costs: for each photo and cover box, the image as the pipeline decodes it for that box
 * (the DCT-domain reader's reduced image for most JPEGs), then the median thread CPU of the smart crop's placement on
 * it (preview, attention map, search), and beside it the median thread CPU of the whole thumbnail with the centre
 * crop and with the smart one, encoded as JPEG.
 *
 * <pre>java -cp bench/target/bench.jar io.thumbnail.bench.SmartCropBench [--rounds 21] [--box 200x200]... PHOTO_DIR_OR_FILE...</pre>
 */
public final class SmartCropBench {
    private static final Limits LIMITS = Limits.defaults();

    private SmartCropBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 21;
        List<int[]> boxes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--box" -> {
                    String[] wh = args[++i].split("x");
                    boxes.add(new int[] {Integer.parseInt(wh[0]), Integer.parseInt(wh[1])});
                }
                default -> {
                    Path path = Path.of(args[i]);
                    if (Files.isDirectory(path)) {
                        try (Stream<Path> s = Files.list(path)) {
                            s.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".jpg")).sorted().forEach(files::add);
                        }
                    } else {
                        files.add(path);
                    }
                }
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: SmartCropBench [--rounds N] [--box WxH]... PHOTO_DIR_OR_FILE...");
            System.exit(2);
        }
        if (boxes.isEmpty()) {
            boxes = List.of(new int[] {200, 200}, new int[] {100, 300}, new int[] {400, 400});
        }
        Thumbnailer thumbnailer = Thumbnailer.create(LIMITS);
        System.out.printf(Locale.ROOT, "%-32s %-9s %-9s %-9s %10s %12s %12s%n", "photo", "source", "box",
                "decoded", "smart ms", "centre ms", "with smart");
        List<Double> stepMillis = new ArrayList<>();
        for (Path file : files) {
            byte[] data = Files.readAllBytes(file);
            for (int[] box : boxes) {
                ThumbnailSpec centre = ThumbnailSpec.box(box[0], box[1]).withFit(Fit.COVER).withFormat(OutputFormat.JPEG);
                ThumbnailSpec smart = centre.withGravity(Gravity.SMART);
                BenchInternals.SmartCropStep prepared = BenchInternals.smartCropStep(data, centre, LIMITS);
                double step = medianMillis(rounds, prepared.place());
                double centreMs = medianMillis(rounds, () -> thumbnailer.thumbnail(data, centre));
                double smartMs = medianMillis(rounds, () -> thumbnailer.thumbnail(data, smart));
                stepMillis.add(step);
                System.out.printf(Locale.ROOT, "%-32s %-9s %-9s %-9s %10.2f %12.2f %12.2f%n", file.getFileName(),
                        prepared.width() + "x" + prepared.height(), box[0] + "x" + box[1],
                        prepared.decodedWidth() + "x" + prepared.decodedHeight(), step, centreMs, smartMs);
            }
        }
        double[] sorted = stepMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "smart crop step: median %.2f ms, max %.2f ms over %d photo-box pairs%n",
                sorted[sorted.length / 2], sorted[sorted.length - 1], sorted.length);
    }

    /** The median thread CPU of {@code task} over {@code rounds} runs, after as many untimed ones to warm up. */
    private static double medianMillis(int rounds, Runnable task) {
        for (int i = 0; i < rounds; i++) {
            task.run();
        }
        double[] millis = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = JvmCpu.currentThreadNanos();
            task.run();
            millis[i] = (JvmCpu.currentThreadNanos() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis[rounds / 2];
    }
}
