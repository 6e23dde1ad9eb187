package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The batch command line as its users start it, {@code java -jar thumbnail-server.jar thumbnail ...}, which runs the
 * batch in a JVM started for it: what it writes, prints and exits with is the batch's.
 */
class BatchCommandIT {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(List.of(), env, args);
    }

    /** {@code java -Xmx256m JVM_OPTIONS -jar <the jar> thumbnail ARGS}. */
    private Run run(List<String> jvmOptions, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return run(List.of(), jvmOptions, env, args);
    }

    /** {@link #run(List, Map, String...)} started by {@code launcher} (its command, then java's). */
    private Run run(List<String> launcher, List<String> jvmOptions, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        String jar = System.getProperty(ChildServer.JAR_PROPERTY);
        assumeTrue(jar != null, "runs against the packaged jar");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar, "thumbnail"));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove(BatchJvm.SAME_JVM);
        builder.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the batch ends").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private Path photo(String name) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, TestImages.photo(800, 600, name.length()));
        return file;
    }

    private List<Path> archives() throws IOException {
        Path cache = dir.resolve("cache").resolve("thumbnail-server");
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.toList();
        }
    }

    @Test
    void writes_every_thumbnail_and_keeps_a_class_archive_that_the_next_batch_uses() throws Exception {
        Path a = photo("a.jpg");
        Path b = photo("bb.jpg");

        Run first = run(Map.of(), "--size", "100x100", "-o", dir.resolve("out").toString(), a.toString(),
                b.toString());

        assertThat(first.exit()).as("exit code; stderr: %s", first.err()).isZero();
        assertThat(first.out()).contains("2 thumbnails written");
        assertThat(ImageIO.read(dir.resolve("out").resolve("a.jpg").toFile()).getWidth()).isEqualTo(100);
        assertThat(archives()).as("the archive the first batch left, and nothing half-written")
                .singleElement().satisfies(p -> assertThat(p.getFileName().toString()).endsWith(".jsa"));

        Run second = run(Map.of(), "--size", "50x50", "-o", dir.resolve("again").toString(), a.toString());

        assertThat(second.exit()).as("exit code; stderr: %s", second.err()).isZero();
        assertThat(second.err()).as("no warning about the archive").isEmpty();
        assertThat(ImageIO.read(dir.resolve("again").resolve("a.jpg").toFile()).getWidth()).isEqualTo(50);
    }

    @Test
    void an_archive_cut_short_in_the_cache_is_replaced_instead_of_crashing_the_batch() throws Exception {
        Path a = photo("a.jpg");
        run(Map.of(), "--size", "100x100", "-o", dir.resolve("out").toString(), a.toString());
        Path archive = archives().get(0);
        byte[] whole = Files.readAllBytes(archive);
        archive.toFile().setWritable(true);
        Files.write(archive, java.util.Arrays.copyOf(whole, whole.length / 2));

        Run next = run(Map.of(), "--size", "50x50", "-o", dir.resolve("again").toString(), a.toString());

        assertThat(next.exit()).as("exit code (SIGBUS mapping the archive ends the JVM with 134); stderr: %s",
                next.err()).isZero();
        assertThat(next.err()).isEmpty();
        assertThat(archives()).as("a whole archive again, of the length its name gives").singleElement()
                .satisfies(p -> assertThat(Long.toHexString(Files.size(p)) + ".jsa")
                        .isEqualTo(p.getFileName().toString().replaceAll(".*\\.([0-9a-f]+\\.jsa)$", "$1")));
        Run third = run(Map.of(), "--size", "60x60", "-o", dir.resolve("third").toString(), a.toString());
        assertThat(third.exit()).as("a batch mapping the new archive; stderr: %s", third.err()).isZero();
    }

    @Test
    void a_file_that_fails_is_named_on_stderr_and_the_exit_code_is_one() throws Exception {
        Path good = photo("good.jpg");
        Path bad = dir.resolve("bad.jpg");
        Files.writeString(bad, "not an image");

        Run run = run(Map.of(), "--size", "100x100", "-o", dir.resolve("out").toString(), good.toString(),
                bad.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains(bad + ": unsupported_format");
        assertThat(run.out()).contains("1 thumbnail written").contains("1 failed");
    }

    /** Minutes of work on two cores, so the batch cannot end by itself in a test's seconds; links, not copies. */
    private List<String> longBatch() throws IOException {
        String jar = System.getProperty(ChildServer.JAR_PROPERTY);
        assumeTrue(jar != null, "runs against the packaged jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-jar", jar, "thumbnail", "--size", "3000x3000", "--format", "png", "-o",
                dir.resolve("out").toString()));
        Path large = Files.write(dir.resolve("p0.jpg"), TestImages.photo(3000, 2000, 1));
        command.add(large.toString());
        for (int i = 1; i < 200; i++) {
            command.add(Files.createLink(dir.resolve("p" + i + ".jpg"), large).toString());
        }
        return command;
    }

    private ProcessBuilder batchProcess(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().remove(BatchJvm.SAME_JVM);
        builder.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        return builder;
    }

    private static ProcessHandle batchJvmOf(ProcessHandle launcher) {
        ProcessHandle batch = null;
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); batch == null && System.nanoTime() < end; ) {
            batch = launcher.children().findFirst().orElse(null);
            Thread.onSpinWait();
        }
        assertThat(batch).as("the batch JVM the command started").isNotNull();
        return batch;
    }

    private static boolean endsWithin10s(ProcessHandle batch) throws Exception {
        try {
            batch.onExit().get(10, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            batch.destroyForcibly();
            return false;
        }
    }

    @Test
    void the_batch_jvm_ends_when_the_command_that_started_it_is_killed() throws Exception {
        Process launcher = batchProcess(longBatch()).start();
        ProcessHandle batch = batchJvmOf(launcher.toHandle());

        launcher.destroyForcibly(); // SIGKILL: no shutdown hook of the launcher runs

        assertThat(endsWithin10s(batch)).as("the batch JVM ended within 10 s of its launcher being killed").isTrue();
    }

    private static boolean holdsPng(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(p -> p.toString().endsWith(".png"));
        }
    }

    @Test
    void a_batch_stopped_midway_says_how_far_it_got() throws Exception {
        Process launcher = batchProcess(longBatch()).start();
        Path out = dir.resolve("out");
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); System.nanoTime() < end && !holdsPng(out); ) {
            Thread.onSpinWait();
        }
        assertThat(holdsPng(out)).as("a first thumbnail written").isTrue();

        launcher.destroy(); // SIGTERM, as a kill or a service manager sends

        assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).as("the command ends").isTrue();
        String stdout = Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8);
        assertThat(stdout).as("stdout").containsPattern("interrupted: [1-9][0-9]* thumbnails? written to " + out
                + ", [1-9][0-9]* of 200 files not made");
    }

    @Test
    void a_batch_stopped_midway_names_the_files_that_failed_before_it() throws Exception {
        List<String> command = longBatch();
        Path bad = Files.writeString(dir.resolve("bad.txt"), "not an image");
        // The first input: it fails in a moment, while the first photo takes seconds.
        command.add(command.indexOf("-o") + 2, bad.toString());
        Process launcher = batchProcess(command).start();
        Path out = dir.resolve("out");
        try {
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                 System.nanoTime() < end && !holdsPng(out); ) {
                Thread.onSpinWait();
            }
            assertThat(holdsPng(out)).as("a first thumbnail written").isTrue();
            // Ctrl-C's SIGINT, unless this process ignores it, as its children then do: SIGTERM.
            String signal = sigintIgnored() ? "TERM" : "INT";

            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(launcher.pid())).start();

            assertThat(kill.waitFor()).as("kill -%s's exit code", signal).isZero();
            assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).as("the command ends").isTrue();
            assertThat(launcher.exitValue()).as("exit code after SIG%s", signal)
                    .isEqualTo(signal.equals("INT") ? 130 : 143);
            assertThat(Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8).lines())
                    .as("stderr after SIG%s: the file that failed, as a finished batch names it", signal)
                    .singleElement().asString().startsWith(bad + ": unsupported_format: ");
            assertThat(Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8)).as("stdout")
                    .containsPattern("interrupted: [1-9][0-9]* thumbnails? written to " + out
                            + ", [1-9][0-9]* of 201 files not made");
        } finally {
            launcher.destroyForcibly();
            launcher.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The thumbnails in {@code folder}: not the temporary files, whose names start with a dot. */
    private static long thumbnailsIn(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    @Test
    void a_batch_stopped_midway_prints_the_count_of_thumbnails_it_left_and_leaves_no_temporary_file() throws Exception {
        String jar = System.getProperty(ChildServer.JAR_PROPERTY);
        assumeTrue(jar != null, "runs against the packaged jar");
        // Small thumbnails of many files, written many a second: the signal comes while some are being written.
        Path photo = Files.write(dir.resolve("p0.jpg"), TestImages.photo(600, 400, 1));
        List<String> files = new ArrayList<>(List.of(photo.toString()));
        for (int i = 1; i < 1500; i++) {
            files.add(Files.createLink(dir.resolve("p" + i + ".jpg"), photo).toString());
        }
        // SIGTERM as a service manager sends, and SIGINT as Ctrl-C does; each a few times, as a race would show. A
        // command started in the background by a shell without job control has SIGINT ignored, and so has every
        // process it starts: there, SIGTERM only.
        Map<String, Integer> exits = Map.of("TERM", 143, "INT", 130);
        String second = sigintIgnored() ? "TERM" : "INT";
        List<String> signals = List.of("TERM", second, "TERM", second);
        for (int run = 0; run < signals.size(); run++) {
            String signal = signals.get(run);
            Path out = dir.resolve("out" + run);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-jar", jar, "thumbnail", "--size", "64x64", "-o", out.toString()));
            command.addAll(files);
            Process launcher = batchProcess(command).start();
            try {
                for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                     System.nanoTime() < end && thumbnailsIn(out) < 20; ) {
                    Thread.onSpinWait();
                }
                assertThat(thumbnailsIn(out)).as("thumbnails written before SIG%s", signal).isGreaterThanOrEqualTo(20);

                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(launcher.pid())).start();

                assertThat(kill.waitFor()).as("kill -%s's exit code", signal).isZero();
                assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).as("the command ends").isTrue();
                assertThat(launcher.exitValue()).as("exit code after SIG%s", signal).isEqualTo(exits.get(signal));
                List<String> left;
                try (Stream<Path> written = Files.list(out)) {
                    left = written.map(p -> p.getFileName().toString()).toList();
                }
                assertThat(left).as("files in OUTDIR after SIG%s: thumbnails, and no temporary file", signal)
                        .allSatisfy(name -> assertThat(name).endsWith(".jpg").doesNotStartWith("."));
                assertThat(Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8).lines())
                        .as("stdout after SIG%s", signal).containsExactly("interrupted: " + left.size() + " thumbnails"
                                + " written to " + out + ", " + (1500 - left.size()) + " of 1500 files not made");
            } finally {
                launcher.destroyForcibly();
                launcher.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Whether this process ignores SIGINT (bit 2 of {@code SigIgn} in {@code /proc/self/status}), as its children do. */
    private static boolean sigintIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 0b10) != 0;
            }
        }
        return false;
    }

    @Test
    void the_batch_jvm_ends_when_its_killed_command_is_left_unreaped_by_its_parent() throws Exception {
        // The launcher's parent is `sleep`, which never reaps it: killed, it stays a zombie, "alive" by its pid.
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "\"$@\" & exec sleep 120", "sh"));
        command.addAll(longBatch());
        Process parent = batchProcess(command).start();
        try {
            ProcessHandle launcher = batchJvmOf(parent.toHandle());
            ProcessHandle batch = batchJvmOf(launcher);

            assertThat(launcher.destroyForcibly()).as("SIGKILL sent to the launcher").isTrue();

            assertThat(endsWithin10s(batch)).as("the batch JVM ended within 10 s of its launcher being killed")
                    .isTrue();
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void a_webp_batch_prints_its_result_and_nothing_else() throws Exception {
        Path a = photo("a.jpg");

        Run run = run(Map.of(), "--size", "100x100", "--format", "webp", "-o", dir.resolve("out").toString(),
                a.toString());

        assertThat(run.exit()).as("exit code; stderr: %s", run.err()).isZero();
        assertThat(run.err()).as("stderr: no note of the WebP encoder loading").isEmpty();
        assertThat(run.out().lines()).as("stdout").containsExactly("1 thumbnail written to " + dir.resolve("out"));
    }

    @Test
    void a_log_level_given_before_jar_shows_what_the_library_notes() throws Exception {
        Path a = photo("a.jpg");

        Run run = run(List.of("-D" + BatchJvm.LOG_LEVEL_PROPERTY + "=info"), Map.of(), "--size", "100x100", "--format",
                "webp", "-o", dir.resolve("out").toString(), a.toString());

        assertThat(run.exit()).as("exit code; stderr: %s", run.err()).isZero();
        assertThat(run.err()).as("stderr").contains("[INFO] Libwebp - WebP output available");
    }

    @Test
    void a_photo_too_large_for_the_heap_fails_naming_xmx_and_the_batch_goes_on() throws Exception {
        Path big = Files.write(dir.resolve("big.jpg"), TestImages.photo(4000, 3000, 2));
        Path small = photo("small.jpg");

        Run run = run(List.of("-Xmx40m"), Map.of(), "--size", "4000x4000", "-o", dir.resolve("out").toString(),
                big.toString(), small.toString());

        assertThat(run.exit()).as("exit code; stderr: %s", run.err()).isEqualTo(1);
        assertThat(run.err()).as("stderr").contains(big + ": too_large:").contains("-Xmx")
                .doesNotContain("Exception");
        assertThat(run.out()).as("stdout").contains("1 thumbnail written").contains("1 failed");
    }

    @Test
    void a_bad_command_line_exits_two_with_the_usage() throws Exception {
        Run run = run(Map.of(), "--size", "100", "-o", dir.resolve("out").toString(), "x.jpg");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--size must be WxH").contains("Usage:");
    }

    @Test
    void with_the_same_jvm_variable_set_the_batch_runs_where_it_was_started() throws Exception {
        Path a = photo("a.jpg");

        Run run = run(Map.of(BatchJvm.SAME_JVM, "1"), "--size", "64x64", "-o", dir.resolve("out").toString(),
                a.toString());

        assertThat(run.exit()).as("exit code; stderr: %s", run.err()).isZero();
        assertThat(dir.resolve("out").resolve("a.jpg")).exists();
        assertThat(archives()).as("no archive: no batch JVM was started").isEmpty();
    }

    /**
     * The command to start a command with a file system of {@code options} (tmpfs mount options) mounted on
     * {@code folder}, seen by that command alone: in a mount namespace of its own, as root in a user namespace of its
     * own, which needs no privilege where the system lets users make them. Skips the test where it cannot.
     */
    private static List<String> withTmpfsOn(Path folder, String options) throws IOException, InterruptedException {
        List<String> launcher = List.of("unshare", "--map-root-user", "--mount", "sh", "-c",
                "mount -t tmpfs -o \"$1\" tmpfs \"$2\" && shift 2 && exec \"$@\"", "sh", options,
                Files.createDirectories(folder).toString());
        List<String> command = new ArrayList<>(launcher);
        command.add("true");
        Process probe;
        try {
            probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new TestAbortedException("unshare does not run here (" + e.getMessage() + ")", e);
        }
        String printed = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(probe.waitFor() == 0, "a tmpfs can be mounted in a namespace of the test's own: " + printed);
        return launcher;
    }

    @Test
    void a_file_past_the_time_limit_fails_with_timeout_naming_it_and_the_command_ends() throws Exception {
        Path big = Files.write(dir.resolve("big.jpg"), TestImages.photo(4000, 3000, 2));
        Path out = dir.resolve("out");

        Run run = run(Map.of(), "--size", "100x100", "--timeout", "0.001", "-o", out.toString(), big.toString());

        assertThat(run.exit()).as("exit code; stderr: %s", run.err()).isEqualTo(1);
        assertThat(run.err().lines()).as("stderr").containsExactly(big + ": timeout: making the thumbnail took"
                + " longer than the time limit of 1 ms (--timeout raises the limit)");
        assertThat(run.out().lines()).as("stdout").containsExactly("0 thumbnails written to " + out + ", 1 failed");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).as("files in OUTDIR: nothing written for the file given up on").isEmpty();
        }
    }

    @Test
    void a_read_only_output_folder_is_refused_once_with_exit_code_two() throws Exception {
        Path out = dir.resolve("out");
        List<String> readOnly = withTmpfsOn(out, "ro,size=64k");

        Run run = run(readOnly, List.of(), Map.of(), "--size", "100x100", "-o", out.toString(),
                photo("a.jpg").toString(), photo("bb.jpg").toString());

        assertThat(run.exit()).as("exit code; stderr: %s", run.err()).isEqualTo(2);
        assertThat(run.err().lines()).as("stderr")
                .containsExactly("thumbnail: cannot write in " + out + ": Read-only file system");
        assertThat(run.out()).as("stdout").isEmpty();
    }

    @Test
    void a_disk_that_fills_up_stops_the_batch_with_one_line_and_how_far_it_got() throws Exception {
        Path out = dir.resolve("out");
        List<String> small = withTmpfsOn(out, "size=128k");
        List<String> args = new ArrayList<>(List.of("--size", "400x400", "-o", out.toString()));
        Path photo = photo("p0.jpg");
        args.add(photo.toString());
        for (int i = 1; i < 20; i++) {
            args.add(Files.createLink(dir.resolve("p" + i + ".jpg"), photo).toString());
        }

        Run run = run(small, List.of(), Map.of(), args.toArray(String[]::new));

        assertThat(run.exit()).as("exit code; stderr: %s", run.err()).isEqualTo(1);
        assertThat(run.err().lines()).as("stderr, one line however many files were left").singleElement().asString()
                .startsWith("thumbnail: stopped, out of disk space: could not write " + out)
                .endsWith(": No space left on device");
        assertThat(run.out().lines()).as("stdout").singleElement().asString()
                .matches("[1-9][0-9]* thumbnails? written to " + out + ", [1-9][0-9]* of 20 files not made");
    }
}
