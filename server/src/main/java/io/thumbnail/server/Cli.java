package io.thumbnail.server;

import io.thumbnail.ErrorCode;
import io.thumbnail.Limits;
import io.thumbnail.Thumbnail;
import io.thumbnail.ThumbnailException;
import io.thumbnail.Thumbnailer;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The batch command line: thumbnails of many files on every core, with no server and no database.
 *
 * <pre>
 * java -jar thumbnail-server.jar thumbnail --size 100x100 [--fit cover [--gravity smart | --focus X,Y]] [--format jpeg]
 *     [--quality 85] -o OUTDIR FILE...
 * </pre>
 *
 * Writes {@code OUTDIR/<name>.<ext>} per file ({@link ThumbnailNames}; and, for {@code auto-webp}, its JPEG or PNG
 * fallback beside the WebP), never over a file that is there unless {@code --overwrite} says to, prints one line per
 * failure ({@code FILE: code: message}) and exits 0 when every file worked, 1 when any failed, 2 for a bad command
 * line.
 */
public final class Cli {
    static final String COMMAND = "thumbnail";
    private static final long PROCESS = ProcessHandle.current().pid();
    private static final AtomicLong TEMP_FILES = new AtomicLong();
    private record Outcome(Path file, Path written, ThumbnailException error) {
    }

    private Cli() {
    }

    /** Runs the command and returns its exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CliOptions options;
        try {
            options = CliOptions.parse(args);
        } catch (IllegalArgumentException | ThumbnailException e) {
            err.println("thumbnail: " + e.getMessage());
            err.print(CliUsage.TEXT);
            return 2;
        }
        if (options == null) {
            out.print(CliUsage.TEXT);
            return 0;
        }
        if (Files.exists(options.outDir()) && !Files.isDirectory(options.outDir())) {
            err.println("thumbnail: -o " + options.outDir() + " is a file, not a folder");
            return 2;
        }
        try {
            Files.createDirectories(options.outDir());
        } catch (IOException e) {
            err.println("thumbnail: cannot create " + options.outDir() + ": " + FileFailures.reason(e));
            return 2;
        }
        BatchInputs inputs = BatchInputs.of(options.files());
        AtomicInteger made = new AtomicInteger();
        int total = inputs.files().size() + inputs.refused().size();
        // Stopped midway (Ctrl-C, SIGTERM), the batch says how far it got; its files are whole or absent.
        Thread stopped = new Thread(() -> out.println("interrupted: " + made.get() + (made.get() == 1 ? " thumbnail"
                : " thumbnails") + " written to " + options.outDir() + ", " + (total - made.get())
                + " of " + total + " files not made"), "thumbnail-cli-stopped");
        Runtime.getRuntime().addShutdownHook(stopped);
        List<Outcome> outcomes;
        try {
            outcomes = thumbnailAll(options, inputs, made);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopped);
            } catch (IllegalStateException alreadyStopping) {
                // the JVM is stopping: the hook says how far the batch got
            }
        }
        int failed = 0;
        for (Outcome outcome : outcomes) {
            if (outcome.error() != null) {
                failed++;
                err.println(outcome.file() + ": " + outcome.error().code().id() + ": " + outcome.error().getMessage()
                        + limitHint(outcome.error(), outcome.file(), options.limits()));
            }
        }
        int written = outcomes.size() - failed;
        out.println(written + (written == 1 ? " thumbnail" : " thumbnails") + " written to " + options.outDir()
                + (failed > 0 ? ", " + failed + " failed" : ""));
        return failed > 0 ? 1 : 0;
    }

    /**
     * Which flag raises the limit a file failed on, if it failed on one: a file within the byte limit that is still
     * too large needed more memory than the JVM had, which only a larger heap gives.
     */
    private static String limitHint(ThumbnailException error, Path file, Limits limits) {
        return switch (error.code()) {
            case TOO_LARGE -> pastByteLimit(file, limits) ? " (--max-bytes raises the limit)"
                    : " (java -Xmx... -jar gives the JVM a larger heap)";
            case TOO_MANY_PIXELS -> " (--max-pixels raises the limit)";
            default -> "";
        };
    }

    private static boolean pastByteLimit(Path file, Limits limits) {
        try {
            return !Files.isRegularFile(file) || Files.size(file) > limits.maxInputBytes();
        } catch (IOException e) {
            return true;
        }
    }

    private static List<Outcome> thumbnailAll(CliOptions options, BatchInputs inputs, AtomicInteger made) {
        // The command line never reports a source's hash: not computing it spares a pass over every input byte.
        Thumbnailer thumbnailer = Thumbnailer.create(options.limits()).withoutSourceHashes();
        startImageIo();
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), inputs.files().size()));
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                r -> new Thread(r, "thumbnail-cli-" + threadNumber.incrementAndGet()));
        try {
            // Of inputs with one name (a/x.jpg, b/x.jpg) the first is made, the others fail, rather than each
            // replacing the last in whatever order the threads finish.
            Map<String, Path> named = new HashMap<>();
            Map<Path, String> names = ThumbnailNames.of(inputs.files());
            List<Future<Outcome>> futures = new ArrayList<>();
            inputs.refused().forEach((path, error) ->
                    futures.add(CompletableFuture.completedFuture(new Outcome(path, null, error))));
            for (Path file : inputs.files()) {
                String name = names.get(file);
                Path first = named.putIfAbsent(name, file);
                futures.add(first == null
                        ? pool.submit(() -> thumbnailOne(thumbnailer, file, name, options, inputs, made))
                        : CompletableFuture.completedFuture(new Outcome(file, null, new ThumbnailException(
                                ErrorCode.INVALID_REQUEST, "its thumbnail would have the name of " + first
                                + "'s; give files of one name separate -o folders"))));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a thumbnail task failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
            awaitQuietly(pool);
        }
    }

    /**
     * Starts ImageIO's registry (every plugin on the class path, and AWT's start-up) on a thread of its own while the
     * first files are read and decoded: a JPEG needs it only when its thumbnail is encoded, and in a fresh JVM it
     * would otherwise hold up the first encode of every worker.
     */
    private static void startImageIo() {
        Thread thread = new Thread(() -> ImageIO.getImageWritersByFormatName("jpeg").hasNext(), "thumbnail-cli-imageio");
        thread.setDaemon(true);
        thread.start();
    }

    private static Outcome thumbnailOne(Thumbnailer thumbnailer, Path file, String name, CliOptions options,
                                        BatchInputs inputs, AtomicInteger made) {
        try {
            Thumbnail thumbnail = thumbnailer.thumbnail(file, options.spec());
            Path target = options.outDir().resolve(name + "." + thumbnail.format().extension());
            Path fallback = thumbnail.fallback() == null ? null
                    : options.outDir().resolve(name + "." + thumbnail.fallback().format().extension());
            inputs.checkNotAnInput(target);
            if (fallback != null) {
                inputs.checkNotAnInput(fallback);
            }
            if (!options.overwrite()) {
                checkAbsent(target);
                if (fallback != null) {
                    checkAbsent(fallback);
                }
            }
            writeWhole(target, thumbnail.bytes(), options.overwrite());
            if (fallback != null) {
                writeWhole(fallback, thumbnail.fallback().bytes(), options.overwrite());
            }
            made.incrementAndGet();
            return new Outcome(file, target, null);
        } catch (ThumbnailException e) {
            return new Outcome(file, null, e);
        } catch (OutOfMemoryError e) {
            // What was allocated for this file is garbage now; the other files go on.
            return new Outcome(file, null, new ThumbnailException(ErrorCode.TOO_LARGE,
                    "it needs more memory to make its thumbnail than this JVM has", e));
        } catch (RuntimeException e) {
            // One bad file must not hide the others' results.
            return new Outcome(file, null, new ThumbnailException(ErrorCode.INTERNAL,
                    "unexpected failure: " + e, e));
        }
    }

    /** A file of the thumbnail's name is not replaced unless asked: it may be anything, an original photo too. */
    private static void checkAbsent(Path target) {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw exists(target);
        }
    }

    private static ThumbnailException exists(Path target) {
        return new ThumbnailException(ErrorCode.INVALID_REQUEST, target + " exists; --overwrite replaces it");
    }

    /**
     * Writes {@code bytes} to a temporary file beside {@code target}, then renames it: a batch stopped midway (Ctrl-C)
     * leaves each thumbnail whole or absent, never cut off under its real name. A failure names the target, not the
     * temporary file, and says why in the system's words.
     */
    private static void writeWhole(Path target, byte[] bytes, boolean overwrite) {
        // Named by this process and a count, not at random: the first random UUID seeds a SecureRandom, a pause
        // of milliseconds in a batch that lasts a fraction of a second.
        // Not named after the target either: a name near the file system's 255-byte limit would not leave room.
        Path temp = target.resolveSibling(".thumbnail-" + PROCESS + "-" + TEMP_FILES.incrementAndGet() + ".tmp");
        try {
            try {
                Files.write(temp, bytes);
                if (overwrite) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    publishNew(temp, target);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (FileAlreadyExistsException e) {
            throw exists(target);
        } catch (IOException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not write " + target + ": "
                    + FileFailures.reason(e), e);
        }
    }

    /**
     * Gives {@code temp} the name {@code target} only if nothing has it: a hard link fails if the name is taken, in
     * one step (a rename would replace it); where the file system has no hard links, a rename that checks first.
     */
    private static void publishNew(Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            Files.move(temp, target);
        }
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                System.err.println("thumbnail: worker threads did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
