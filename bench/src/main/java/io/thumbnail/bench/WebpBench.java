package io.thumbnail.bench;

import com.luciad.imageio.webp.WebPImageReaderSpi;
import com.luciad.imageio.webp.WebPImageWriterSpi;
import com.luciad.imageio.webp.WebPWriteParam;
import io.thumbnail.ImageFormat;
import io.thumbnail.Limits;
import io.thumbnail.OutputFormat;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.Thumbnailer;
import io.thumbnail.quality.Ssim;
import io.thumbnail.testing.BenchInternals;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * WebP against JPEG on the same thumbnails: each photo's 100 and 400 px thumbnail is made once (its exact pixels,
 * through a PNG), then encoded as JPEG at the default quality and as WebP at its default quality with libwebp's
 * methods 2, 4 (the service's) and 6. Per encoder: mean bytes, mean of the per-photo WebP/JPEG byte ratios, the
 * encode's thread CPU (median over the rounds, per photo, then the mean) and the mean SSIM (luma) of the decoded
 * file against the pixels encoded, WebP decoded by libwebp as browsers do. Then the lowest WebP quality (method 4)
 * whose mean SSIM reaches JPEG's, which is how the default WebP quality was chosen.
 *
 * <pre>java -cp bench/target/bench.jar io.thumbnail.bench.WebpBench [--rounds 15] PHOTO_DIR_OR_FILE...</pre>
 */
public final class WebpBench {
    private static final int[] SIZES = {100, 400};
    private static final int[] METHODS = {2, 4, 6};
    private static final int SWEEP_FROM = 70;
    private static final int SWEEP_TO = 90;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private WebpBench() {
    }

    /** One encoder's figures over the photos. */
    private static final class Tally {
        final List<Long> bytes = new ArrayList<>();
        final List<Double> ratios = new ArrayList<>();
        final List<Double> cpuMillis = new ArrayList<>();
        final List<Double> ssim = new ArrayList<>();

        static double mean(List<? extends Number> values) {
            return values.stream().mapToDouble(Number::doubleValue).average().orElse(Double.NaN);
        }
    }

    private interface Encoder {
        byte[] encode(BufferedImage image) throws IOException;
    }

    public static void main(String[] args) throws Exception {
        int rounds = 15;
        List<Path> roots = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else if (args[i].startsWith("-")) {
                usage("unknown option " + args[i]);
            } else {
                roots.add(Path.of(args[i]));
            }
        }
        if (roots.isEmpty() || rounds < 1) {
            usage(roots.isEmpty() ? "no photos given" : "--rounds must be 1 or more");
        }
        Thumbnailer.webpUnavailableReason().ifPresent(reason -> usage("WebP output is unavailable here: " + reason));
        List<Path> photos = photos(roots);
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        ThumbnailSpec spec = ThumbnailSpec.box(1, 1);
        int jpegQuality = spec.qualityFor(ImageFormat.JPEG);
        int webpQuality = spec.qualityFor(ImageFormat.WEBP);
        System.out.printf(Locale.ROOT, "WebpBench: %d photos, JPEG q%d against WebP q%d (libwebp method 4 unless"
                        + " named); encode CPU per image, median of %d rounds%nmachine: %s%n", photos.size(),
                jpegQuality, webpQuality, rounds, Machine.describe());
        for (int size : SIZES) {
            List<BufferedImage> thumbnails = new ArrayList<>();
            for (Path photo : photos) {
                byte[] data = Files.readAllBytes(photo);
                ThumbnailSpec box = ThumbnailSpec.box(size, size).withFormat(OutputFormat.PNG);
                BufferedImage pixels = ImageIO.read(new ByteArrayInputStream(thumbnailer.thumbnail(data, box).bytes()));
                if (pixels.getWidth() < size && pixels.getHeight() < size) {
                    continue; // smaller than the box: not a thumbnail at this size
                }
                thumbnails.add(pixels);
            }
            checkSameAsTheService(thumbnails.get(0), webpQuality);
            List<String> names = new ArrayList<>(List.of("JPEG q" + jpegQuality));
            List<Encoder> encoders = new ArrayList<>(List.of(image -> jpeg(image, jpegQuality)));
            for (int method : METHODS) {
                names.add("WebP q" + webpQuality + (method == 4 ? "" : " m" + method));
                encoders.add(image -> webp(image, webpQuality, method));
            }
            warmUp(encoders, thumbnails);
            List<Tally> tallies = new ArrayList<>();
            for (Encoder encoder : encoders) {
                tallies.add(measure(encoder, thumbnails, rounds));
            }
            System.out.printf(Locale.ROOT, "== %d px (%d photos) ==%n%-14s %9s %8s %10s %8s%n", size, thumbnails.size(),
                    "encoder", "bytes", "vs JPEG", "encode ms", "SSIM");
            List<Long> jpegBytes = tallies.get(0).bytes;
            for (int e = 0; e < encoders.size(); e++) {
                Tally t = tallies.get(e);
                for (int p = 0; p < t.bytes.size(); p++) {
                    t.ratios.add(t.bytes.get(p) / (double) jpegBytes.get(p));
                }
                System.out.printf(Locale.ROOT, "%-14s %9.0f %8.3f %10.2f %8.4f%n", names.get(e), Tally.mean(t.bytes),
                        Tally.mean(t.ratios), Tally.mean(t.cpuMillis), Tally.mean(t.ssim));
            }
            System.out.printf(Locale.ROOT, "lowest WebP quality (method 4) with mean SSIM >= JPEG q%d's: %s%n",
                    jpegQuality, equalQuality(thumbnails, Tally.mean(tallies.get(0).ssim)));
        }
    }

    /** The bench's WebP writer must write what the service writes, byte for byte. */
    private static void checkSameAsTheService(BufferedImage image, int quality) throws IOException {
        byte[] service = BenchInternals.encode(image, ImageFormat.WEBP, quality, ThumbnailSpec.WHITE);
        if (!Arrays.equals(service, webp(image, quality, 4))) {
            throw new IllegalStateException("the bench's WebP settings differ from the service's");
        }
    }

    private static void warmUp(List<Encoder> encoders, List<BufferedImage> thumbnails) throws IOException {
        for (int i = 0; i < 5; i++) {
            for (Encoder encoder : encoders) {
                for (BufferedImage image : thumbnails) {
                    encoder.encode(image);
                }
            }
        }
    }

    private static Tally measure(Encoder encoder, List<BufferedImage> thumbnails, int rounds) throws IOException {
        Tally tally = new Tally();
        for (BufferedImage image : thumbnails) {
            long[] cpu = new long[rounds];
            byte[] encoded = null;
            for (int r = 0; r < rounds; r++) {
                long start = THREADS.getCurrentThreadCpuTime();
                encoded = encoder.encode(image);
                cpu[r] = THREADS.getCurrentThreadCpuTime() - start;
            }
            Arrays.sort(cpu);
            tally.cpuMillis.add(cpu[rounds / 2] / 1e6);
            tally.bytes.add((long) encoded.length);
            tally.ssim.add(Ssim.of(image, decode(encoded)));
        }
        return tally;
    }

    private static String equalQuality(List<BufferedImage> thumbnails, double jpegSsim) throws IOException {
        for (int q = SWEEP_FROM; q <= SWEEP_TO; q++) {
            List<Double> ssim = new ArrayList<>();
            for (BufferedImage image : thumbnails) {
                ssim.add(Ssim.of(image, decode(webp(image, q, 4))));
            }
            if (Tally.mean(ssim) >= jpegSsim) {
                return q + String.format(Locale.ROOT, " (mean SSIM %.4f against JPEG's %.4f)", Tally.mean(ssim), jpegSsim);
            }
        }
        return "above " + SWEEP_TO;
    }

    private static byte[] jpeg(BufferedImage image, int quality) {
        return BenchInternals.encode(image, ImageFormat.JPEG, quality, ThumbnailSpec.WHITE);
    }

    /** As the service writes WebP (lossy, exact alpha), at the given libwebp method. */
    private static byte[] webp(BufferedImage image, int quality, int method) throws IOException {
        ImageWriter writer = new WebPImageWriterSpi().createWriterInstance(null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            WebPWriteParam param = (WebPWriteParam) writer.getDefaultWriteParam();
            param.setCompressionType("Lossy");
            param.setCompressionQuality(quality / 100f);
            param.setMethod(method);
            param.setAlphaQuality(100);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** JPEG by ImageIO, WebP by libwebp. */
    private static BufferedImage decode(byte[] encoded) throws IOException {
        if (encoded[0] != 'R') {
            return ImageIO.read(new ByteArrayInputStream(encoded));
        }
        ImageReader reader = new WebPImageReaderSpi().createReaderInstance(null);
        try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            reader.setInput(in);
            return reader.read(0);
        } finally {
            reader.dispose();
        }
    }

    private static List<Path> photos(List<Path> roots) throws IOException {
        List<Path> photos = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.list(root)) {
                    s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.jpe?g"))
                            .sorted().forEach(photos::add);
                }
            } else {
                photos.add(root);
            }
        }
        return photos;
    }

    private static void usage(String problem) {
        System.err.println("WebpBench: " + problem + "\nusage: java -cp bench/target/bench.jar io.thumbnail.bench.WebpBench"
                + " [--rounds 15] PHOTO_DIR_OR_FILE...");
        System.exit(2);
    }
}
