package io.thumbnail.server;

import io.thumbnail.ErrorCode;
import io.thumbnail.Thumbnail;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.Thumbnailer;

import javax.imageio.ImageIO;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of the batch command line: every file's thumbnail made on one of the workers within the time limit and
 * written to the output folder, or the run {@linkplain #stop stopped} midway with its thumbnails whole or absent.
 */
final class BatchRun {
    /** A file's result: the thumbnail written, or why not; {@code outOfSpace} when the file system was full. */
    record Outcome(Path file, Path written, ThumbnailException error, boolean outOfSpace) {
        static Outcome failed(Path file, ThumbnailException error) {
            return new Outcome(file, null, error, false);
        }
    }

    /** How long a run being stopped waits for the thumbnails it was giving their names to. */
    private static final Duration PUBLISHING = Duration.ofSeconds(2);

    // A place for every input's outcome, null for those the workers make.
    private final List<Outcome> outcomes;
    private final BatchWorkers<Outcome> workers;
    private final BatchOutput output;
    private final AtomicInteger made = new AtomicInteger();

    /**
     * Prepares the run: the outcomes of the folders and pipes refused and of the files of a name taken, and the
     * workers to make each other file.
     */
    BatchRun(CliOptions options, BatchInputs inputs, Cli.Steps steps) {
        // The command line never reports a source's hash: not computing it spares a pass over every input byte.
        Thumbnailer thumbnailer = Thumbnailer.create(options.limits()).withoutSourceHashes();
        output = new BatchOutput(options.outDir(), options.overwrite(), steps.writer());
        outcomes = new ArrayList<>();
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
            tasks.add(attempt -> {
                Outcome outcome = thumbnailOne(thumbnailer, steps.maker(), output, file, name, options.spec(), inputs,
                        attempt);
                if (outcome.written() != null) {
                    made.incrementAndGet();
                }
                return outcome;
            });
        }
        ThumbnailException overrun = new ThumbnailException(ErrorCode.TIMEOUT, "making the thumbnail took longer"
                + " than the time limit of " + describe(options.timeout()));
        // After a file finds the disk full, every file after it would fail alike: the batch stops there.
        workers = new BatchWorkers<>(tasks, Runtime.getRuntime().availableProcessors(), options.timeout(),
                i -> Outcome.failed(toMake.get(i), overrun), Outcome::outOfSpace, System::nanoTime, "thumbnail-cli");
    }

    /** Every input's outcome in the inputs' order, null for a file the run stopped before or was stopped in. */
    List<Outcome> run() {
        startImageIo();
        try {
            return among(workers.run());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Every input's outcome so far in the inputs' order, null for a file not yet made, or given up on when the run was
     * stopped: what a run stopped midway met.
     */
    List<Outcome> outcomesSoFar() {
        return among(workers.results());
    }

    /** The files' outcomes in the places kept for them, among the refusals. */
    private List<Outcome> among(List<Outcome> files) {
        Iterator<Outcome> results = files.iterator();
        List<Outcome> all = new ArrayList<>(outcomes);
        all.replaceAll(outcome -> outcome != null ? outcome : results.next());
        return all;
    }

    /** How many thumbnails were written so far. */
    int made() {
        return made.get();
    }

    /**
     * Stops the run so that its thumbnails are whole or absent and {@link #made} is what it left: none is started or
     * given its name any more, those being given their names are waited for a moment, and the temporary files of
     * those being written are deleted, as the JVM ends with its threads mid-write.
     */
    void stop() {
        try {
            workers.stop(PUBLISHING);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        output.stop();
    }

    /**
     * A time limit in plain digits, however long or fine: in seconds ({@code 60 s}, {@code 90.25 s}), or in
     * milliseconds under a second ({@code 500 ms}, {@code 1.5 ms}), as the job system words it.
     */
    static String describe(Duration limit) {
        long nanos = limit.toNanos();
        return nanos < 1_000_000_000 ? plain(nanos, 6) + " ms" : plain(nanos, 9) + " s";
    }

    /** {@code nanos} with the decimal point moved {@code places} to the left, with no trailing zeros or exponent. */
    private static String plain(long nanos, int places) {
        return BigDecimal.valueOf(nanos, places).stripTrailingZeros().toPlainString();
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

    /** Makes and writes one file's thumbnail, and its fallback; nothing is published once the batch gave up on it. */
    private static Outcome thumbnailOne(Thumbnailer thumbnailer, Cli.Maker maker, BatchOutput output, Path file,
                                        String name, ThumbnailSpec spec, BatchInputs inputs,
                                        BatchWorkers.Attempt attempt) {
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
            Map<Path, byte[]> thumbnails = new LinkedHashMap<>();
            thumbnails.put(target, thumbnail.bytes());
            if (fallback != null) {
                thumbnails.put(fallback, thumbnail.fallback().bytes());
            }
            boolean written = output.write(thumbnails, attempt);
            // Given up on, the file has its timeout outcome already, and nothing of it was published.
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
