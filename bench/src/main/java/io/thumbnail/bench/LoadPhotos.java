package io.thumbnail.bench;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The JPEG files {@link LoadBench} uploads: {@code --synth} photos generated into a folder, the files and folders'
 * files named on the command line, or else the corpus's photos; files that do not start as a JPEG are skipped, each
 * with a line saying so. With {@code --large}, the set {@link Bench} measures: the photos of 8 MP or more, a
 * progressive copy of each, and a 20 MP baseline and progressive pair made from the largest.
 */
final class LoadPhotos {
    private LoadPhotos() {
    }

    /** The files to upload, and the temporary folder of those generated for them (or null); closing deletes it. */
    record Prepared(List<Path> files, Path folder) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (folder != null) {
                try (Stream<Path> walk = Files.walk(folder)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** {@link #files}, those generated ({@code --synth}, {@code --large}) in a temporary folder of their own. */
    static Prepared prepare(LoadOptions options) throws IOException {
        boolean generates = options.synth() > 0 || options.large();
        Path folder = generates ? Files.createTempDirectory("thumbnail-bench-synth") : null;
        try {
            return new Prepared(files(options, folder), folder);
        } catch (IOException | RuntimeException e) {
            new Prepared(List.of(), folder).close();
            throw e;
        }
    }

    /**
     * @param synthDir where to generate {@code options.synth()} photos, or {@code null} for none
     * @throws IllegalArgumentException when a named file or folder does not exist, or no JPEG is found
     */
    static List<Path> files(LoadOptions options, Path synthDir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (synthDir != null) {
            long t0 = System.nanoTime();
            files.addAll(PhotoSynth.write(synthDir, options.synth(), PhotoSynth.WIDTH, PhotoSynth.HEIGHT));
            System.out.printf(Locale.ROOT, "generated %d photos of %dx%d in %.1f s%n", options.synth(),
                    PhotoSynth.WIDTH, PhotoSynth.HEIGHT, (System.nanoTime() - t0) / 1e9);
        }
        List<Path> roots = options.photos();
        if (roots.isEmpty() && synthDir == null) {
            String corpus = System.getenv().getOrDefault("THUMBNAIL_CORPUS", "../shared/corpus");
            roots = List.of(Path.of(corpus, "photos"));
        }
        for (Path root : roots) {
            if (!Files.exists(root)) {
                throw new IllegalArgumentException("no such file or folder: " + root);
            }
            if (Files.isDirectory(root)) {
                try (Stream<Path> list = Files.list(root)) {
                    list.filter(Files::isRegularFile).sorted().forEach(files::add);
                }
            } else {
                files.add(root);
            }
        }
        List<Path> jpegs = new ArrayList<>();
        for (Path file : files) {
            byte[] head = new byte[3];
            try (InputStream in = Files.newInputStream(file)) {
                if (in.readNBytes(head, 0, 3) == 3 && UniqueJpeg.isJpeg(head)) {
                    jpegs.add(file);
                } else {
                    System.out.println("skipped (not a JPEG): " + file);
                }
            }
        }
        if (jpegs.isEmpty()) {
            throw new IllegalArgumentException("no JPEG photos in " + roots + " (pass a folder, or --synth N)");
        }
        return options.large() ? large(jpegs, synthDir) : jpegs;
    }

    private static List<Path> large(List<Path> jpegs, Path dir) throws IOException {
        List<Path> large = new ArrayList<>();
        Path largest = null;
        long most = 0;
        for (Path file : jpegs) {
            long pixels = pixels(file);
            if (pixels >= Photo.LARGE) {
                large.add(file);
                large.add(ProgressiveCopies.write(dir, file));
            }
            if (pixels > most) {
                most = pixels;
                largest = file;
            }
        }
        if (large.isEmpty()) {
            throw new IllegalArgumentException("--large: no JPEG of 8 MP or more among " + jpegs.size() + " photos");
        }
        System.out.printf(Locale.ROOT, "--large: %d photos of 8 MP or more, their progressive copies and a 20 MP pair%n",
                large.size() / 2);
        BufferedImage content = ImageIO.read(largest.toFile());
        large.addAll(SyntheticPhotos.write(dir, content));
        return large;
    }

    private static long pixels(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return 0;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return (long) reader.getWidth(0) * reader.getHeight(0);
            } finally {
                reader.dispose();
            }
        }
    }
}
