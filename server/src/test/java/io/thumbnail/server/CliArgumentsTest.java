package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** How the batch command line reads its arguments, and the odd names a glob or a folder hands it. */
class CliArgumentsTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Stream<String> namesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList().stream();
        }
    }

    @Test
    void after_a_double_dash_every_argument_is_a_file_even_one_named_like_an_option() throws IOException {
        Path dashed = TestImages.write(dir, "-photo.jpg", TestImages.gradient(80, 60, "jpeg"));
        Path outDir = dir.resolve("out");

        int exit = run("--size", "40x40", "-o", outDir.toString(), "--", dashed.toString());

        assertThat(exit).as("exit code; stderr: %s", stderr()).isZero();
        assertThat(namesIn(outDir)).as("files in OUTDIR").containsExactly("-photo.jpg");
    }

    @Test
    void a_file_named_like_an_option_before_a_double_dash_is_refused_saying_how_to_name_it() {
        int exit = run("--size", "40x40", "-o", dir.resolve("out").toString(), "-photo.jpg");

        assertThat(exit).as("exit code").isEqualTo(2);
        assertThat(stderr()).contains("unknown option -photo.jpg (a file whose name starts with - goes after --,"
                + " or as ./-photo.jpg)");
    }

    @Test
    void an_option_given_twice_is_refused_rather_than_the_last_one_taken() {
        int exit = run("--size", "40x40", "-o", dir.resolve("a").toString(), "--output", dir.resolve("b").toString(),
                "x.jpg");

        assertThat(exit).as("exit code").isEqualTo(2);
        assertThat(stderr()).contains("thumbnail: --output is given twice; give each option once");
        assertThat(dir.resolve("a")).as("the first output folder, never made").doesNotExist();
    }

    @Test
    void an_option_followed_by_another_option_is_refused_naming_the_one_missing_its_value() {
        int exit = run("--size", "-o", dir.resolve("out").toString(), "x.jpg");

        assertThat(exit).as("exit code").isEqualTo(2);
        assertThat(stderr()).contains("thumbnail: --size needs a value, not the option -o");
    }

    @Test
    void a_hard_link_under_another_name_gets_a_thumbnail_of_that_name_too() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Path one = TestImages.write(photos, "one.jpg", TestImages.gradient(80, 60, "jpeg"));
        Files.createLink(photos.resolve("two.jpg"), one);
        Path outDir = dir.resolve("out");

        int exit = run("--size", "40x40", "-o", outDir.toString(), photos.toString(), one.toString());

        assertThat(exit).as("exit code; stderr: %s", stderr()).isZero();
        assertThat(namesIn(outDir)).as("one thumbnail per name, one.jpg reached twice made once")
                .containsExactlyInAnyOrder("one.jpg", "two.jpg");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 thumbnails written");
    }

    @Test
    void a_link_to_nothing_in_a_folder_fails_naming_itself_rather_than_vanish() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        TestImages.write(photos, "a.jpg", TestImages.gradient(80, 60, "jpeg"));
        Path dangling = Files.createSymbolicLink(photos.resolve("b.jpg"), photos.resolve("gone.jpg"));

        int exit = run("--size", "40x40", "-o", dir.resolve("out").toString(), photos.toString());

        assertThat(exit).as("exit code").isEqualTo(1);
        assertThat(stderr()).contains(dangling + ": io_error: no such file: " + dangling);
    }

    @Test
    void a_name_near_the_file_systems_limit_is_written_under_that_name() throws IOException {
        String name = "a".repeat(250) + ".jpg";
        Path photo = TestImages.write(dir, name, TestImages.gradient(80, 60, "jpeg"));
        Path outDir = dir.resolve("out");

        int exit = run("--size", "40x40", "-o", outDir.toString(), photo.toString());

        assertThat(exit).as("exit code; stderr: %s", stderr()).isZero();
        assertThat(namesIn(outDir)).as("files in OUTDIR").containsExactly(name);
    }

    @Test
    void what_a_folder_leaves_out_is_counted_in_one_line_by_kind() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        TestImages.write(photos, "a.jpg", TestImages.gradient(80, 60, "jpeg"));
        Files.createDirectories(photos.resolve("2023"));
        Files.createDirectories(photos.resolve("2024"));
        Files.writeString(photos.resolve(".DS_Store"), "not an image");
        Process mkfifo = new ProcessBuilder("mkfifo", photos.resolve("pipe").toString()).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo makes a named pipe here");
        Path outDir = dir.resolve("out");

        int exit = run("--size", "40x40", "-o", outDir.toString(), photos.toString());

        assertThat(exit).as("exit code; stderr: %s", stderr()).isZero();
        assertThat(stderr()).as("stderr: nothing failed").isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).as("stdout").containsExactly(
                "skipped 4 entries in " + photos + ": 2 folders, 1 hidden file, 1 pipe",
                "1 thumbnail written to " + outDir);
    }

    @Test
    void the_time_limit_per_file_is_a_minute_unless_timeout_gives_seconds_or_a_duration() {
        String[] base = {"--size", "40x40", "-o", "out", "x.jpg"};

        assertThat(CliOptions.parse(base).timeout()).as("by default").isEqualTo(Duration.ofSeconds(60));
        assertThat(timeout("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(timeout("0.25")).isEqualTo(Duration.ofMillis(250));
        assertThat(timeout("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(timeout("PT0.5S")).isEqualTo(Duration.ofMillis(500));
    }

    /** Runs the command with {@code --timeout value}, which it must refuse saying what it allows. */
    private void assertTimeoutRefused(String value) {
        err.reset();

        int exit = run("--size", "40x40", "--timeout", value, "-o", dir.resolve("out").toString(), "x.jpg");

        assertThat(exit).as("exit code for --timeout %s", value).isEqualTo(2);
        assertThat(stderr()).as("stderr for --timeout %s", value).startsWith("thumbnail: --timeout must be seconds,"
                + " such as 60 or 0.5, or a duration such as 30s, 15m or PT1M; at least 0.001 (a millisecond) and at most"
                + " 3650d (was '" + value + "')");
    }

    private static Duration timeout(String value) {
        return CliOptions.parse(new String[] {"--size", "40x40", "--timeout", value, "-o", "out", "x.jpg"}).timeout();
    }

    @Test
    void a_timeout_that_is_no_positive_time_is_refused_saying_what_is_allowed() {
        for (String value : List.of("0", "-5", "soon", "0s", "4000d")) {
            assertTimeoutRefused(value);
        }
    }

    @Test
    void a_timeout_under_a_millisecond_is_refused_saying_what_is_allowed() {
        for (String value : List.of("0.0000001", "0.0009", "PT0.0005S")) {
            assertTimeoutRefused(value);
        }
        assertThat(timeout("0.001")).as("the shortest --timeout").isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void a_time_limit_is_worded_in_plain_digits_however_long_or_fine() {
        assertThat(BatchRun.describe(Duration.ofSeconds(10_000, 500_000))).as("a long limit with a fraction of a"
                + " millisecond").isEqualTo("10000.0005 s");
        assertThat(BatchRun.describe(Duration.ofDays(3650))).as("the longest limit").isEqualTo("315360000 s");
        assertThat(BatchRun.describe(Duration.ofMillis(90_250))).isEqualTo("90.25 s");
        assertThat(BatchRun.describe(Duration.ofSeconds(60))).isEqualTo("60 s");
        assertThat(BatchRun.describe(Duration.ofMillis(500))).isEqualTo("500 ms");
        assertThat(BatchRun.describe(Duration.ofNanos(1_500_000))).isEqualTo("1.5 ms");
        assertThat(BatchRun.describe(Duration.ofMillis(1))).isEqualTo("1 ms");
    }
}
