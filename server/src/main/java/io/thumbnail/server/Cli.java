package io.thumbnail.server;

import io.thumbnail.Limits;
import io.thumbnail.Thumbnail;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.Thumbnailer;
import io.thumbnail.server.BatchRun.Outcome;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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

    /** How a file's thumbnail is made: {@link Thumbnailer#thumbnail(Path, ThumbnailSpec)} but in tests. */
    interface Maker {
        Thumbnail make(Thumbnailer thumbnailer, Path file, ThumbnailSpec spec);
    }

    /** Where the batch registers what it does when the JVM is stopped: the {@link Runtime} but in tests. */
    interface Hooks {
        void add(Thread hook);

        /** Takes {@code hook} back, unless the JVM is stopping and it runs or ran. */
        void remove(Thread hook);
    }

    static final Hooks RUNTIME = new Hooks() {
        @Override
        public void add(Thread hook) {
            Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public void remove(Thread hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyStopping) {
                // the JVM is stopping: the hook does its part
            }
        }
    };

    /**
     * The steps of a batch that meet the file system and the JVM, which tests replace to hang a read, fill a disk or
     * stop the batch midway.
     */
    record Steps(Maker maker, BatchOutput.Writer writer, Hooks hooks) {
        static final Steps REAL = new Steps(Thumbnailer::thumbnail, BatchOutput.FILES);

        Steps(Maker maker, BatchOutput.Writer writer) {
            this(maker, writer, RUNTIME);
        }
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
        String linkToNothing = linkToNothing(options.outDir());
        if (linkToNothing != null) {
            err.println("thumbnail: " + linkToNothing);
            return 2;
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
        int total = inputs.files().size() + inputs.refused().size();
        BatchRun batch = new BatchRun(options, inputs, steps);
        // Either the batch ends and reports, or, stopped midway (Ctrl-C, SIGTERM), its hook says how far it got.
        AtomicBoolean ending = new AtomicBoolean();
        CountDownLatch reported = new CountDownLatch(1);
        Thread stopped = new Thread(() -> {
            if (ending.compareAndSet(false, true)) {
                batch.stop();
                // The files that failed before the batch was stopped are named, and what folders left out, as at
                // its end.
                printFailures(batch.outcomesSoFar(), options, err);
                inputs.skippedLines().forEach(out::println);
                out.println("interrupted: " + notMade(batch.made(), options.outDir(), total));
            } else {
                // The batch ended first: its report is whole before the JVM ends.
                awaitQuietly(reported, Duration.ofSeconds(2));
            }
        }, "thumbnail-cli-stopped");
        steps.hooks().add(stopped);
        try {
            List<Outcome> outcomes = batch.run();
            if (!ending.compareAndSet(false, true)) {
                // Stopped: the JVM ends with the signal's exit code, once the hook has said how far it got.
                return 130;
            }
            return report(outcomes, options, inputs, total, out, err);
        } finally {
            reported.countDown();
            steps.hooks().remove(stopped);
        }
    }

    /**
     * What is wrong with an output folder that is, or is in, a symbolic link to nothing, naming the link and what it
     * names; null if it is not. The system's own words for it ("File exists": the link is there, what it names is
     * not) say neither.
     */
    private static String linkToNothing(Path outDir) {
        for (Path path = outDir; path != null; path = path.getParent()) {
            // Not notExists: a loop of links neither exists nor surely does not.
            if (Files.isSymbolicLink(path) && !Files.exists(path)) {
                Path target;
                try {
                    target = Files.readSymbolicLink(path);
                } catch (IOException e) {
                    // no longer a link: making the folder says what it is now
                    return null;
                }
                Path resolved = path.resolveSibling(target);
                String link = path + " is a symbolic link to " + target + (Files.isSymbolicLink(resolved)
                        ? ", itself a link that leads nowhere (to nothing, or round in a loop)"
                        : ", which does not exist");
                return path.equals(outDir) ? "-o " + link : "cannot create " + outDir + ": " + link;
            }
        }
        return null;
    }

    private static void awaitQuietly(CountDownLatch latch, Duration limit) {
        try {
            latch.await(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Prints a line per file that failed, then what folders left out, then how many thumbnails were written; or, if
     * the file system filled up, one line for that in place of the files it failed, and how many files were not made.
     */
    private static int report(List<Outcome> outcomes, CliOptions options, BatchInputs inputs, int total,
                              PrintStream out, PrintStream err) {
        int failed = printFailures(outcomes, options, err);
        int written = (int) outcomes.stream().filter(outcome -> outcome != null && outcome.written() != null).count();
        boolean outOfSpace = outcomes.stream().anyMatch(outcome -> outcome != null && outcome.outOfSpace());
        inputs.skippedLines().forEach(out::println);
        if (outOfSpace) {
            out.println(notMade(written, options.outDir(), total));
            return 1;
        }
        out.println(written + (written == 1 ? " thumbnail" : " thumbnails") + " written to " + options.outDir()
                + (failed > 0 ? ", " + failed + " failed" : ""));
        return failed > 0 ? 1 : 0;
    }

    /**
     * Prints a line per file that failed ({@code FILE: code: message}), in the inputs' order, or, if the file system
     * filled up, one line for that in place of the files it failed; returns how many files failed otherwise.
     */
    private static int printFailures(List<Outcome> outcomes, CliOptions options, PrintStream err) {
        int failed = 0;
        Outcome outOfSpace = null;
        for (Outcome outcome : outcomes) {
            if (outcome == null || outcome.written() != null) {
                continue;
            }
            if (outcome.outOfSpace()) {
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
        return failed;
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

}
