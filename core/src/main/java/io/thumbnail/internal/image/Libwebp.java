package io.thumbnail.internal.image;

import com.luciad.imageio.webp.WebPImageReaderSpi;
import com.luciad.imageio.webp.WebPImageWriterSpi;
import com.luciad.imageio.webp.WebPWriteParam;
import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.IIOImage;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * libwebp, through webp-imageio's JNI binding: whether it loads on this platform, and its writer and reader.
 *
 * <p>The native library is extracted from the jar and loaded on first use. That can fail (a platform without a bundled
 * native, an old glibc, a temporary folder mounted noexec), and then only WebP output is missing: the first call
 * probes once, logs the outcome, and every later call answers from it. The binding extracts the library into a folder
 * of this process ({@code <java.io.tmpdir>/thumbnail-webp-<pid>-<random>}, made afresh and readable by its owner only,
 * so no other user can swap the library between its extraction and its load) unless {@value #FOLDER_PROPERTY} names
 * another; a process killed before its exit hooks ran leaves its folder behind, so the probe deletes the folders of
 * processes that no longer run.
 *
 * <p>The binding registers an ImageIO reader too, which ImageIO would offer before TwelveMonkeys' (and which cannot
 * read animations); the probe removes it, and {@link #reader()} creates one directly instead.
 */
public final class Libwebp {
    /** The binding's own setting for where it extracts the native library; read when the library loads. */
    static final String FOLDER_PROPERTY = "com.luciad.imageio.webp.tmpdir";
    private static final String FOLDER_PREFIX = "thumbnail-webp-";
    /** libwebp's limit on either side of an image. */
    public static final int MAX_SIDE = 16383;

    private static final Logger log = LoggerFactory.getLogger(Libwebp.class);

    private Libwebp() {
    }

    /** Why WebP cannot be written here, or empty when it can. The first call loads the library (about 0.2 s). */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(Probe.FAILURE);
    }

    public static boolean available() {
        return Probe.FAILURE == null;
    }

    /** A new writer (one per encode: they are cheap, and the binding's state is per writer). */
    static ImageWriter writer() {
        requireAvailable();
        return new WebPImageWriterSpi().createWriterInstance(null);
    }

    /** A new reader that decodes with libwebp (still images only: it reads the first frame of nothing else). */
    static ImageReader reader() {
        requireAvailable();
        return new WebPImageReaderSpi().createReaderInstance(null);
    }

    static void requireAvailable() {
        if (Probe.FAILURE != null) {
            throw new ThumbnailException(ErrorCode.INVALID_SPEC, "WebP output is unavailable here ("
                    + Probe.FAILURE + "); ask for jpeg or png");
        }
    }

    /** Runs once, on first use; the class initialisation lock makes concurrent first callers wait for it. */
    private static final class Probe {
        static final String FAILURE = probe();

        private static String probe() {
            deregisterReader();
            String folder = System.getProperty(FOLDER_PROPERTY);
            try {
                if (folder == null) {
                    folder = processFolder().toString();
                    System.setProperty(FOLDER_PROPERTY, folder);
                }
                encodeOnePixel();
                log.info("WebP output available (libwebp, native library loaded from {})", folder);
                return null;
            } catch (LinkageError | RuntimeException | IOException e) {
                String reason = "the native WebP encoder could not be loaded on " + System.getProperty("os.name")
                        + " " + System.getProperty("os.arch");
                log.warn("WebP output is unavailable: {} ({}); format webp is refused and auto never picks WebP."
                        + " If the temporary folder {} forbids running code, point -D{} at another folder", reason,
                        e.toString(), folder, FOLDER_PROPERTY);
                return reason;
            }
        }

        /** The binding's {@code getDefaultWriteParam} loads the library; an encode proves it works. */
        private static void encodeOnePixel() throws IOException {
            ImageWriter writer = new WebPImageWriterSpi().createWriterInstance(null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                WebPWriteParam param = (WebPWriteParam) writer.getDefaultWriteParam();
                writer.setOutput(ios);
                writer.write(null, new IIOImage(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), null, null), param);
            } finally {
                writer.dispose();
            }
            byte[] bytes = out.toByteArray();
            if (bytes.length < 12 || bytes[0] != 'R' || bytes[8] != 'W') {
                throw new IOException("the encoder wrote " + bytes.length + " bytes that are not a WebP file");
            }
        }

        /** A new {@code <tmpdir>/thumbnail-webp-<pid>-<random>}, after deleting those of processes that have ended. */
        private static Path processFolder() throws IOException {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            try (DirectoryStream<Path> folders = Files.newDirectoryStream(tmp, FOLDER_PREFIX + "*")) {
                for (Path folder : folders) {
                    if (ofEndedProcess(folder)) {
                        deleteQuietly(folder);
                    }
                }
            }
            long pid = ProcessHandle.current().pid();
            Path mine = Files.createTempDirectory(tmp, FOLDER_PREFIX + pid + "-");
            // Registered before the binding registers its files, so deleted after them (hooks run in reverse).
            mine.toFile().deleteOnExit();
            return mine;
        }

        private static boolean ofEndedProcess(Path folder) {
            Matcher m = Pattern.compile(Pattern.quote(FOLDER_PREFIX) + "(\\d{1,18})-.*")
                    .matcher(folder.getFileName().toString());
            if (!m.matches() || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            long pid = Long.parseLong(m.group(1));
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        }

        private static void deleteQuietly(Path folder) {
            File[] files = folder.toFile().listFiles();
            if (files != null) {
                for (File f : files) {
                    f.delete();
                }
            }
            if (!folder.toFile().delete()) {
                log.debug("could not delete {}, left by an ended process (another user's?)", folder);
            }
        }

        private static void deregisterReader() {
            IIORegistry registry = IIORegistry.getDefaultInstance();
            List<ImageReaderSpi> theirs = new ArrayList<>();
            registry.getServiceProviders(ImageReaderSpi.class, false).forEachRemaining(spi -> {
                if (spi instanceof WebPImageReaderSpi) {
                    theirs.add(spi);
                }
            });
            theirs.forEach(spi -> registry.deregisterServiceProvider(spi, ImageReaderSpi.class));
        }
    }
}
