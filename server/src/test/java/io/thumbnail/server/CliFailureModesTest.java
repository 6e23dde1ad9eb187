package io.thumbnail.server;

import io.thumbnail.Thumbnail;
import io.thumbnail.Thumbnailer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The batch command line when the system lets it down: a read that never returns, an output folder it may not write
 * in, a disk that fills up. Each is said once, and the batch still ends with how far it got.
 */
class CliFailureModesTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    /** Lets the reads that hang return at last. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Path> attempted = new CopyOnWriteArrayList<>();
    private final List<Thread> hung = new CopyOnWriteArrayList<>();

    @AfterEach
    void releaseHungReads() {
        release.countDown();
    }

    private int run(Cli.Steps steps, String... args) {
        return Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), steps);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Reads that hang, deaf to interrupts, as on a network mount that stopped answering, until the test ends. */
    private Cli.Steps hangingReads() {
        return new Cli.Steps((thumbnailer, file, spec) -> {
            attempted.add(file);
            hung.add(Thread.currentThread());
            DeafWait.until(release);
            return thumbnailer.thumbnail(file, spec);
        }, BatchOutput.FILES);
    }

    private List<Path> images(int count) throws IOException {
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(TestImages.write(dir, "img" + i + ".png", TestImages.gradient(40 + i, 30, "png")));
        }
        return images;
    }

    private static List<String> args(Path outDir, List<Path> files, String... options) {
        List<String> args = new ArrayList<>(List.of("--size", "16x16", "-o", outDir.toString()));
        args.addAll(List.of(options));
        files.forEach(file -> args.add(file.toString()));
        return args;
    }

    private static List<String> namesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void files_past_the_time_limit_fail_with_timeout_naming_it_and_the_batch_goes_on_and_ends() throws IOException {
        // More files than threads: a thread stuck in a read is replaced, or the last files would never start.
        int count = Runtime.getRuntime().availableProcessors() + 2;
        List<Path> files = images(count);
        Path outDir = dir.resolve("out");

        int exit = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> run(hangingReads(), args(outDir, files, "--timeout", "0.001").toArray(String[]::new)),
                "the batch ends, though its reads never return");

        assertThat(exit).as("exit code; stderr: %s", stderr()).isEqualTo(1);
        assertThat(attempted).as("the files the batch started on").containsExactlyInAnyOrderElementsOf(files);
        assertThat(stderr().lines()).as("a line per file").containsExactlyElementsOf(files.stream()
                .map(file -> file + ": timeout: making the thumbnail took longer than the time limit of 1 ms"
                        + " (--timeout raises the limit)").toList());
        assertThat(stdout().lines()).as("stdout").containsExactly("0 thumbnails written to " + outDir + ", " + count
                + " failed");
        assertThat(hung).as("the threads left in the reads: daemons, which do not keep the JVM from exiting")
                .allSatisfy(thread -> assertThat(thread.isDaemon()).as("%s is a daemon", thread.getName()).isTrue());
    }

    @Test
    void a_file_given_up_on_is_not_written_when_its_read_returns_at_last() throws Exception {
        Path outDir = dir.resolve("out");
        int exit = run(hangingReads(), args(outDir, images(1), "--timeout", "0.001").toArray(String[]::new));
        assertThat(exit).as("exit code; stderr: %s", stderr()).isEqualTo(1);

        release.countDown();
        for (Thread thread : hung) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thread.isAlive()).as("%s, its read returned", thread.getName()).isFalse();
        }

        assertThat(namesIn(outDir)).as("files in OUTDIR").isEmpty();
    }

    @Test
    void a_file_whose_limit_passes_once_its_thumbnails_are_written_publishes_neither_of_them() throws Exception {
        Path file = images(1).get(0);
        Path outDir = dir.resolve("out");
        String[] args = args(outDir, List.of(file), "--format", "auto-webp", "--timeout", "1").toArray(String[]::new);
        // Made before the batch, so that its limit passes while the second thumbnail is written, not before the first.
        CliOptions options = CliOptions.parse(args);
        Thumbnail made = Thumbnailer.create(options.limits()).thumbnail(file, options.spec());
        AtomicInteger writes = new AtomicInteger();
        Cli.Steps steps = new Cli.Steps((thumbnailer, f, spec) -> made, (temp, bytes) -> {
            Files.write(temp, bytes);
            if (writes.incrementAndGet() == 2) {
                hung.add(Thread.currentThread());
                awaitInterrupt();
            }
        });

        int exit = run(steps, args);

        assertThat(exit).as("exit code; stderr: %s", stderr()).isEqualTo(1);
        assertThat(stderr().lines()).as("stderr").containsExactly(file + ": timeout: making the thumbnail took longer"
                + " than the time limit of 1 s (--timeout raises the limit)");
        assertThat(writes.get()).as("thumbnails written under temporary names: the WebP and its fallback")
                .isEqualTo(2);
        for (Thread thread : hung) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thread.isAlive()).as("%s, given up on, ended", thread.getName()).isFalse();
        }
        assertThat(namesIn(outDir)).as("files in OUTDIR: neither thumbnail, nor a temporary file").isEmpty();
    }

    @Test
    void a_fallback_whose_name_is_taken_meanwhile_fails_the_file_and_leaves_no_webp_without_it() throws Exception {
        Path file = images(1).get(0);
        Path outDir = dir.resolve("out");
        String[] args = args(outDir, List.of(file), "--format", "auto-webp").toArray(String[]::new);
        CliOptions options = CliOptions.parse(args);
        Thumbnail made = Thumbnailer.create(options.limits()).thumbnail(file, options.spec());
        assertThat(made.fallback()).as("auto-webp makes a fallback beside the WebP").isNotNull();
        Path fallback = outDir.resolve("img0." + made.fallback().format().extension());
        AtomicInteger writes = new AtomicInteger();
        // Another program makes a file of the fallback's name after the batch looked and before it gave the names.
        Cli.Steps steps = new Cli.Steps((thumbnailer, f, spec) -> made, (temp, bytes) -> {
            Files.write(temp, bytes);
            if (writes.incrementAndGet() == 2) {
                Files.writeString(fallback, "someone else's");
            }
        });

        int exit = run(steps, args);

        assertThat(exit).as("exit code; stderr: %s", stderr()).isEqualTo(1);
        assertThat(stderr().lines()).as("stderr").containsExactly(file + ": invalid_request: " + fallback
                + " exists; --overwrite replaces it");
        assertThat(namesIn(outDir)).as("files in OUTDIR: only the other program's file, no WebP without its fallback")
                .containsExactly(fallback.getFileName().toString());
        assertThat(Files.readString(fallback)).as("the other program's file, untouched").isEqualTo("someone else's");
    }

    /** Waits until the batch gives up on this thread's file, which interrupts it. */
    private static void awaitInterrupt() {
        try {
            new CountDownLatch(1).await(60, TimeUnit.SECONDS);
        } catch (InterruptedException givenUp) {
            // as the batch gives up on the file
        }
    }

    @Test
    void an_output_folder_it_may_not_write_in_is_refused_once_before_any_file_is_read() throws IOException {
        Path outDir = Files.createDirectories(dir.resolve("out"));
        Files.setPosixFilePermissions(outDir, PosixFilePermissions.fromString("r-xr-xr-x"));
        assumeFalse(Files.isWritable(outDir), "running as root, who may write in any directory");
        List<Path> files = images(3);

        int exit = run(Cli.Steps.REAL, args(outDir, files).toArray(String[]::new));

        assertThat(exit).as("exit code").isEqualTo(2);
        assertThat(stderr().lines()).as("stderr")
                .containsExactly("thumbnail: cannot write in " + outDir + ": Permission denied");
        assertThat(stdout()).as("stdout").isEmpty();
    }

    @Test
    void a_disk_that_fills_up_stops_the_batch_with_one_line_and_how_far_it_got() throws IOException {
        int threads = Runtime.getRuntime().availableProcessors();
        int count = 2 * threads + 2;
        List<Path> files = images(count);
        Path outDir = dir.resolve("out");
        AtomicInteger writes = new AtomicInteger();
        // Room for one thumbnail; then what a write to a full disk throws.
        Cli.Steps fillingUp = new Cli.Steps(Cli.Steps.REAL.maker(), (file, bytes) -> {
            if (writes.incrementAndGet() > 1) {
                throw new IOException("No space left on device");
            }
            Files.write(file, bytes);
        });

        int exit = run(fillingUp, args(outDir, files).toArray(String[]::new));

        assertThat(exit).as("exit code").isEqualTo(1);
        assertThat(stderr().lines()).as("stderr").singleElement().asString()
                .startsWith("thumbnail: stopped, out of disk space: could not write " + outDir)
                .endsWith(": No space left on device");
        assertThat(stdout().lines()).as("stdout")
                .containsExactly("1 thumbnail written to " + outDir + ", " + (count - 1) + " of " + count
                        + " files not made");
        assertThat(writes.get()).as("writes tried: the one that fit, then at most one per thread before it stopped")
                .isLessThanOrEqualTo(1 + threads);
        assertThat(namesIn(outDir)).as("files in OUTDIR: the thumbnail, and no temporary file").hasSize(1)
                .allSatisfy(name -> assertThat(name).endsWith(".jpg").doesNotStartWith("."));
    }
}
