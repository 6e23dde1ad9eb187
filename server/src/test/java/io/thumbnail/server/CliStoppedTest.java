package io.thumbnail.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch stopped midway, as by Ctrl-C or SIGTERM: the test runs the shutdown hook the batch registers at the moment
 * it chooses, with files made, failed, half-written or hanging in a read as each test needs.
 */
class CliStoppedTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    /** Lets the reads and the write that hang go on at last. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch halfWritten = new CountDownLatch(1);
    private final AtomicReference<Thread> hook = new AtomicReference<>();
    private final Map<Thread, Path> reading = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor();

    @AfterEach
    void release() throws InterruptedException {
        release.countDown();
        background.shutdownNow();
        background.awaitTermination(30, TimeUnit.SECONDS);
    }

    /** Shutdown hooks kept for the test to run. */
    private final Cli.Hooks hooks = new Cli.Hooks() {
        @Override
        public void add(Thread added) {
            hook.set(added);
        }

        @Override
        public void remove(Thread removed) {
            // the test's JVM is not stopping
        }
    };

    /**
     * {@code img0.png} made and written; {@code img1.png} made and its thumbnail written halfway, where it hangs; every
     * other file's read hangs. All deaf to interrupts, until the test ends.
     */
    private Cli.Steps steps(Path img0, Path img1) {
        return new Cli.Steps((thumbnailer, file, spec) -> {
            reading.put(Thread.currentThread(), file);
            if (!file.equals(img0) && !file.equals(img1)) {
                DeafWait.until(release);
            }
            return thumbnailer.thumbnail(file, spec);
        }, (temp, bytes) -> {
            if (!reading.get(Thread.currentThread()).equals(img1)) {
                Files.write(temp, bytes);
                return;
            }
            try (OutputStream stream = Files.newOutputStream(temp)) {
                stream.write(bytes, 0, bytes.length / 2);
                stream.flush();
                halfWritten.countDown();
                DeafWait.until(release);
                stream.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
            }
        }, hooks);
    }

    @Test
    void a_batch_stopped_midway_prints_the_thumbnails_it_left_and_leaves_no_temporary_file() throws Exception {
        // Two more files than threads: with one thread on each file read or written, one is never started.
        int count = Runtime.getRuntime().availableProcessors() + 2;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(TestImages.write(dir, "img" + i + ".png", TestImages.gradient(40 + i, 30, "png")));
        }
        Path outDir = dir.resolve("out");
        List<String> args = new ArrayList<>(List.of("--size", "16x16", "-o", outDir.toString()));
        files.forEach(file -> args.add(file.toString()));
        Cli.Steps steps = steps(files.get(0), files.get(1));
        Future<Integer> exit = background.submit(() -> Cli.run(args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                steps));
        assertThat(halfWritten.await(30, TimeUnit.SECONDS)).as("img1's thumbnail half-written").isTrue();
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
             !Files.exists(outDir.resolve("img0.jpg")) && System.nanoTime() < end; ) {
            Thread.onSpinWait();
        }
        assertThat(outDir.resolve("img0.jpg")).as("img0's thumbnail").exists();

        hook.get().run();

        assertThat(stdout().lines()).as("stdout").containsExactly("interrupted: 1 thumbnail written to " + outDir
                + ", " + (count - 1) + " of " + count + " files not made");
        assertThat(namesIn(outDir)).as("files in OUTDIR: the thumbnail counted, and no temporary file")
                .containsExactly("img0.jpg");
        assertThat(exit.get(30, TimeUnit.SECONDS)).as("Cli.run's exit code, stopped").isEqualTo(130);
        assertThat(stdout().lines()).as("stdout: the batch, stopped, reports nothing more").hasSize(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).as("stderr").isEmpty();

        release.countDown();
        for (Thread thread : reading.keySet()) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thread.isAlive()).as("%s, its read or write let go on", thread.getName()).isFalse();
        }
        assertThat(namesIn(outDir)).as("files in OUTDIR once the hung reads and write went on")
                .containsExactly("img0.jpg");
    }

    @Test
    void a_batch_stopped_midway_names_the_files_that_failed_before_it_as_a_finished_batch_does() throws Exception {
        // As many hanging files as threads: when all of them hang, the thread that read bad.txt has had its result.
        int threads = Runtime.getRuntime().availableProcessors();
        Path bad = Files.writeString(dir.resolve("bad.txt"), "not an image");
        List<Path> hanging = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            hanging.add(TestImages.write(dir, "img" + i + ".png", TestImages.gradient(40 + i, 30, "png")));
        }
        Path sameName = TestImages.write(Files.createDirectories(dir.resolve("other")), "img0.png",
                TestImages.gradient(20, 20, "png"));
        Path outDir = dir.resolve("out");
        List<String> args = new ArrayList<>(List.of("--size", "16x16", "-o", outDir.toString(), bad.toString()));
        hanging.forEach(file -> args.add(file.toString()));
        args.add(sameName.toString());
        CountDownLatch allHanging = new CountDownLatch(threads);
        Cli.Steps steps = new Cli.Steps((thumbnailer, file, spec) -> {
            if (hanging.contains(file)) {
                allHanging.countDown();
                DeafWait.until(release);
            }
            return thumbnailer.thumbnail(file, spec);
        }, BatchOutput.FILES, hooks);
        Future<Integer> exit = background.submit(() -> Cli.run(args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                steps));
        assertThat(allHanging.await(30, TimeUnit.SECONDS)).as("every thread in a file that hangs").isTrue();

        hook.get().run();

        assertThat(err.toString(StandardCharsets.UTF_8).lines()).as("stderr: a line per file that failed before the"
                + " batch was stopped, in the inputs' order").satisfiesExactly(
                line -> assertThat(line).startsWith(bad + ": unsupported_format: "),
                line -> assertThat(line).isEqualTo(sameName + ": invalid_request: its thumbnail would have the name"
                        + " of " + hanging.get(0) + "'s; give files of one name separate -o folders"));
        assertThat(stdout().lines()).as("stdout").containsExactly("interrupted: 0 thumbnails written to " + outDir
                + ", " + (threads + 2) + " of " + (threads + 2) + " files not made");
        assertThat(exit.get(30, TimeUnit.SECONDS)).as("Cli.run's exit code, stopped").isEqualTo(130);
    }

    @Test
    void a_batch_stopped_midway_says_what_its_folders_left_out_as_a_finished_batch_does() throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        Path photos = Files.createDirectories(dir.resolve("photos"));
        List<Path> hanging = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            hanging.add(TestImages.write(photos, "img" + i + ".png", TestImages.gradient(40 + i, 30, "png")));
        }
        Files.createDirectories(photos.resolve("nested"));
        Files.writeString(photos.resolve(".hidden.png"), "left out");
        Path outDir = dir.resolve("out");
        CountDownLatch allHanging = new CountDownLatch(threads);
        Cli.Steps steps = new Cli.Steps((thumbnailer, file, spec) -> {
            allHanging.countDown();
            DeafWait.until(release);
            return thumbnailer.thumbnail(file, spec);
        }, BatchOutput.FILES, hooks);
        String[] args = {"--size", "16x16", "-o", outDir.toString(), photos.toString()};
        Future<Integer> exit = background.submit(() -> Cli.run(args,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                steps));
        assertThat(allHanging.await(30, TimeUnit.SECONDS)).as("every thread in a file that hangs").isTrue();

        hook.get().run();

        assertThat(stdout().lines()).as("stdout: what the folder left out, then how far the batch got").containsExactly(
                "skipped 2 entries in " + photos + ": 1 folder, 1 hidden file",
                "interrupted: 0 thumbnails written to " + outDir + ", " + threads + " of " + threads
                        + " files not made");
        assertThat(exit.get(30, TimeUnit.SECONDS)).as("Cli.run's exit code, stopped").isEqualTo(130);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> namesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
