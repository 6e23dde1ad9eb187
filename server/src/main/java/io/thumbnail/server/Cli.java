package io.thumbnail.server;

import io.thumbnail.ErrorCode;
import io.thumbnail.Limits;
import io.thumbnail.Thumbnail;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.Thumbnailer;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

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
 * failure ({@code FILE: code: message}) and exits 0 when every file worked, 1 when any failed (a file taking longer
 * than {@code --timeout} fails, and the others go on) or the disk filled up (the batch stops there), 2 for a bad
 * command line or an output folder it cannot write in.
 */
public final class Cli {
    static final String COMMAND = "thumbnail";

    /** A file's result: the thumbnail written, or why not; {@code outOfSpace} when the file system was full. */
    private record Outcome(Path file, Path written, ThumbnailException error, boolean outOfSpace) {
        static Outcome failed(Path file, ThumbnailException error) {
            return new Outcome(file, null, error, false);
        }
    }

    /** How a file's thumbnail is made: {@link Thumbnailer#thumbnail(Path, ThumbnailSpec)} but in tests. */
    interface Maker {
        Thumbnail make(Thumbnailer thumbnailer, Path file, ThumbnailSpec spec);
    }

    /** The steps of a batch that meet the file system, which tests replace to hang a read or fill a disk. */
    record Steps(Maker maker, BatchOutput.Writer writer) {
        static final Steps REAL = new Steps(Thumbnailer::thumbnail, BatchOutput.FILES);
    }

    private Cli() {
    }

    /** Runs the command and returns its exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Steps.REAL);
    }

    static int run(String[] args, PrintStream out, PrintStream err, Steps steps) {
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
        try {
            BatchOutput.probe(options.outDir());
        } catch (IOException e) {
            err.println("thumbnail: cannot write in " + options.outDir() + ": " + FileFailures.reason(e));
            return 2;
        }
        BatchInputs inputs = BatchInputs.of(options.files());
        AtomicInteger made = new AtomicInteger();
        int total = inputs.files().size() + inputs.refused().size();
        // Stopped midway (Ctrl-C, SIGTERM), the batch says how far it got; its files are whole or absent.
        Thread stopped = new Thread(() -> out.println("interrupted: " + notMade(made.get(), options.outDir(),
                total)), "thumbnail-cli-stopped");
        Runtime.getRuntime().addShutdownHook(stopped);
        List<Outcome> outcomes;
        try {
            outcomes = thumbnailAll(options, inputs, made, steps);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopped);
            } catch (IllegalStateException alreadyStopping) {
                // the JVM is stopping: the hook says how far the batch got
            }
        }
        return report(outcomes, options, inputs, total, out, err);
    }

    /**
     * Prints a line per file that failed, then what folders left out, then how many thumbnails were written; or, if
     * the file system filled up, one line for that in place of the files it failed, and how many files were not made.
     */
    private static int report(List<Outcome> outcomes, CliOptions options, BatchInputs inputs, int total,
                              PrintStream out, PrintStream err) {
        int written = 0;
        int failed = 0;
        Outcome outOfSpace = null;
        for (Outcome outcome : outcomes) {
            if (outcome == null) {
                continue;
            }
            if (outcome.written() != null) {
                written++;
            } else if (outcome.outOfSpace()) {
                outOfSpace = outOfSpace == null ? outcome : outOfSpace;
            } else {
                failed++;
                err.println(outcome.file() + ": " + outcome.error().code().id() + ": " + outcome.error().getMessage()
                        + limitHint(outcome.error(), outcome.file(), options.limits()));
            }
        }
        if (outOfSpace != null) {
            err.println("thumbnail: stopped, out of disk space: " + outOfSpace.error().getMessage());
        }
        inputs.skippedLines().forEach(out::println);
        if (outOfSpace != null) {
            out.println(notMade(written, options.outDir(), total));
            return 1;
        }
        out.println(written + (written == 1 ? " thumbnail" : " thumbnails") + " written to " + options.outDir()
                + (failed > 0 ? ", " + failed + " failed" : ""));
        return failed > 0 ? 1 : 0;
    }

    /** How far a batch that stopped midway got: {@code 11 thumbnails written to thumbs, 29 of 40 files not made}. */
    private static String notMade(int made, Path outDir, int total) {
        return made + (made == 1 ? " thumbnail" : " thumbnails") + " written to " + outDir + ", " + (total - made)
                + " of " + total + " files not made";
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
            case TIMEOUT -> " (--timeout raises the limit)";
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

    /**
     * Every file's outcome in the inputs' order, null for one the batch stopped before: the folders and pipes refused,
     * then the files, each made on one of the workers within the time limit.
     */
    private static List<Outcome> thumbnailAll(CliOptions options, BatchInputs inputs, AtomicInteger made,
                                              Steps steps) {
        // The command line never reports a source's hash: not computing it spares a pass over every input byte.
        Thumbnailer thumbnailer = Thumbnailer.create(options.limits()).withoutSourceHashes();
        BatchOutput output = new BatchOutput(options.outDir(), options.overwrite(), steps.writer());
        startImageIo();
        List<Outcome> outcomes = new ArrayList<>();
        inputs.refused().forEach((path, error) -> outcomes.add(Outcome.failed(path, error)));
        // Of inputs with one name (a/x.jpg, b/x.jpg) the first is made, the others fail, rather than each replacing
        // the last in whatever order the threads finish.
        Map<String, Path> named = new HashMap<>();
        Map<Path, String> names = ThumbnailNames.of(inputs.files());
        List<Path> toMake = new ArrayList<>();
        List<BatchWorkers.Task<Outcome>> tasks = new ArrayList<>();
        for (Path file : inputs.files()) {
            String name = names.get(file);
            Path first = named.putIfAbsent(name, file);
            if (first != null) {
                outcomes.add(Outcome.failed(file, new ThumbnailException(ErrorCode.INVALID_REQUEST,
                        "its thumbnail would have the name of " + first + "'s; give files of one name separate -o"
                                + " folders")));
                continue;
            }
            outcomes.add(null);
            toMake.add(file);
            tasks.add(givenUp -> {
                Outcome outcome = thumbnailOne(thumbnailer, steps.maker(), output, file, name, options.spec(), inputs,
                        givenUp);
                if (outcome.written() != null) {
                    made.incrementAndGet();
                }
                return outcome;
            });
        }
        ThumbnailException overrun = new ThumbnailException(ErrorCode.TIMEOUT, "making the thumbnail took longer"
                + " than the time limit of " + describe(options.timeout()));
        // After a file finds the disk full, every file after it would fail alike: the batch stops there.
        BatchWorkers<Outcome> workers = new BatchWorkers<>(tasks, Runtime.getRuntime().availableProcessors(),
                options.timeout(), i -> Outcome.failed(toMake.get(i), overrun), Outcome::outOfSpace,
                System::nanoTime, "thumbnail-cli");
        Iterator<Outcome> results;
        try {
            results = workers.run().iterator();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        // The files' outcomes in the places kept for them, among the refusals.
        outcomes.replaceAll(outcome -> outcome != null ? outcome : results.next());
        return outcomes;
    }

    /** A time limit as the job system words it: {@code 60 s}, or {@code 500 ms} for a fraction of a second. */
    private static String describe(Duration limit) {
        return limit.toNanos() % 1_000_000_000 == 0 ? limit.toSeconds() + " s"
                : limit.toNanos() % 1_000_000 == 0 ? limit.toMillis() + " ms" : limit.toNanos() / 1e6 + " ms";
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

    /** Makes and writes one file's thumbnail, and its fallback; nothing is written once the batch gave up on it. */
    private static Outcome thumbnailOne(Thumbnailer thumbnailer, Maker maker, BatchOutput output, Path file,
                                        String name, ThumbnailSpec spec, BatchInputs inputs, BooleanSupplier givenUp) {
        try {
            Thumbnail thumbnail = maker.make(thumbnailer, file, spec);
            Path target = output.folder().resolve(name + "." + thumbnail.format().extension());
            Path fallback = thumbnail.fallback() == null ? null
                    : output.folder().resolve(name + "." + thumbnail.fallback().format().extension());
            inputs.checkNotAnInput(target);
            if (fallback != null) {
                inputs.checkNotAnInput(fallback);
            }
            output.checkAbsent(target);
            if (fallback != null) {
                output.checkAbsent(fallback);
            }
            boolean written = !givenUp.getAsBoolean() && output.write(target, thumbnail.bytes(), givenUp)
                    && (fallback == null || output.write(fallback, thumbnail.fallback().bytes(), givenUp));
            // Given up on, the file has its timeout outcome already: this one is not counted.
            return new Outcome(file, written ? target : null, null, false);
        } catch (ThumbnailException e) {
            return new Outcome(file, null, e, BatchOutput.outOfSpace(e));
        } catch (OutOfMemoryError e) {
            // What was allocated for this file is garbage now; the other files go on.
            return Outcome.failed(file, new ThumbnailException(ErrorCode.TOO_LARGE,
                    "it needs more memory to make its thumbnail than this JVM has", e));
        } catch (RuntimeException e) {
            // One bad file must not hide the others' results.
            return Outcome.failed(file, new ThumbnailException(ErrorCode.INTERNAL, "unexpected failure: " + e, e));
        }
    }
}
