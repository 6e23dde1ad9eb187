package io.thumbnail.quality;

import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WebP decoders a thumbnail must satisfy, each chosen explicitly (ImageIO's own choice depends on what registered
 * first): libwebp through webp-imageio's reader, TwelveMonkeys' pure-Java reader, and the {@code dwebp} and
 * {@code vipsheader} tools when installed. Every image comes back as TYPE_INT_ARGB.
 */
public final class WebpDecoders {
    private static final Path DWEBP = Path.of("/usr/bin/dwebp");
    private static final Path VIPSHEADER = Path.of("/usr/bin/vipsheader");

    private WebpDecoders() {
    }

    /** libwebp's decode: what browsers show. */
    public static BufferedImage libwebp(byte[] webp) {
        return read(new com.luciad.imageio.webp.WebPImageReaderSpi(), webp);
    }

    public static BufferedImage twelveMonkeys(byte[] webp) {
        return read(new com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi(), webp);
    }

    public static boolean hasDwebp() {
        return Files.isExecutable(DWEBP);
    }

    public static boolean hasVipsheader() {
        return Files.isExecutable(VIPSHEADER);
    }

    /** {@code dwebp}'s decode (RGBA, as a PAM), or empty when it is not installed. */
    public static Optional<BufferedImage> dwebp(byte[] webp) {
        if (!hasDwebp()) {
            return Optional.empty();
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("dwebp");
            Path in = Files.write(dir.resolve("in.webp"), webp);
            Path out = dir.resolve("out.pam");
            run(DWEBP.toString(), "-quiet", "-pam", in.toString(), "-o", out.toString());
            return Optional.of(pam(Files.readAllBytes(out)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(dir);
        }
    }

    /** {@code vipsheader}'s "WIDTHxHEIGHT BANDS" of the file, or empty when it is not installed. */
    public static Optional<String> vipsheader(byte[] webp) {
        if (!hasVipsheader()) {
            return Optional.empty();
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("vipsheader");
            Path in = Files.write(dir.resolve("in.webp"), webp);
            // "in.webp: 200x150 uchar, 4 bands, srgb, webpload"
            Matcher m = Pattern.compile(": (\\d+x\\d+) \\w+, (\\d+) bands?")
                    .matcher(run(VIPSHEADER.toString(), in.toString()));
            if (!m.find()) {
                throw new IOException("vipsheader printed no size and bands");
            }
            return Optional.of(m.group(1) + " " + m.group(2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(dir);
        }
    }

    private static BufferedImage read(ImageReaderSpi spi, byte[] webp) {
        try {
            ImageReader reader = spi.createReaderInstance(null);
            try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(webp))) {
                reader.setInput(in);
                return argb(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage argb(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
        int w = image.getWidth();
        for (int y = 0; y < image.getHeight(); y++) {
            out.setRGB(0, y, w, 1, image.getRGB(0, y, w, 1, null, 0, w), 0, w);
        }
        return out;
    }

    /** A PAM with TUPLTYPE RGB_ALPHA, as dwebp writes it. */
    private static BufferedImage pam(byte[] b) {
        String text = new String(b, 0, Math.min(b.length, 200), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("ENDHDR\n");
        if (!text.startsWith("P7") || end < 0) {
            throw new IllegalStateException("dwebp wrote no PAM");
        }
        int width = header(text, "WIDTH");
        int height = header(text, "HEIGHT");
        int depth = header(text, "DEPTH");
        int pos = end + "ENDHDR\n".length();
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        for (int i = 0; i < width * height; i++, pos += depth) {
            int a = depth == 4 ? b[pos + 3] & 0xFF : 0xFF;
            image.setRGB(i % width, i / width, a << 24 | (b[pos] & 0xFF) << 16 | (b[pos + 1] & 0xFF) << 8
                    | (b[pos + 2] & 0xFF));
        }
        return image;
    }

    private static int header(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key + " ")) {
                return Integer.parseInt(line.substring(key.length() + 1).trim());
            }
        }
        throw new IllegalStateException("the PAM has no " + key);
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(command[0] + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            p.destroy();
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary folder; nothing depends on its removal
        }
    }
}
