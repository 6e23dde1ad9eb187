package io.thumbnail.server;

import io.thumbnail.OutputFormat;
import io.thumbnail.quality.WebpDecoders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writes_one_thumbnail_per_file_named_after_it_and_exits_zero() throws IOException {
        Path a = TestImages.write(dir, "IMG_8667.png", TestImages.gradient(613, 624, "png"));
        Path b = TestImages.write(dir, "beach.jpeg", TestImages.gradient(400, 300, "jpeg"));
        Path outDir = dir.resolve("out");

        int exit = run("--size", "100x100", "-o", outDir.toString(), a.toString(), b.toString());

        assertThat(exit).as("exit code; stderr: %s", stderr()).isZero();
        try (Stream<Path> files = Files.list(outDir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("opaque sources become <name>.jpg in OUTDIR")
                    .containsExactlyInAnyOrder("IMG_8667.jpg", "beach.jpg");
        }
        BufferedImage thumbnail = ImageIO.read(outDir.resolve("IMG_8667.jpg").toFile());
        assertThat(thumbnail.getWidth() + "x" + thumbnail.getHeight()).as("613x624 fitted into 100x100").isEqualTo("98x100");
    }

    @Test
    void of_inputs_sharing_a_name_the_first_is_made_and_the_others_fail_naming_it() throws IOException {
        Path first = TestImages.write(Files.createDirectories(dir.resolve("a")), "x.jpg",
                TestImages.gradient(200, 100, "jpeg"));
        Path second = TestImages.write(Files.createDirectories(dir.resolve("b")), "x.jpg",
                TestImages.gradient(100, 200, "jpeg"));
        Path outDir = dir.resolve("out");

        int exit = run("--size", "50x50", "-o", outDir.toString(), first.toString(), second.toString());

        assertThat(exit).as("exit code").isEqualTo(1);
        assertThat(stderr()).contains(second + ": invalid_request: its thumbnail would have the name of " + first);
        BufferedImage made = ImageIO.read(outDir.resolve("x.jpg").toFile());
        assertThat(made.getWidth() + "x" + made.getHeight()).as("x.jpg, the first input's").isEqualTo("50x25");
        try (Stream<Path> files = Files.list(outDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("files in OUTDIR").containsExactly("x.jpg");
        }
    }

    @Test
    void inputs_of_one_stem_and_different_names_each_get_a_thumbnail_named_after_their_whole_name()
            throws IOException {
        Path jpeg = TestImages.write(dir, "x.jpg", TestImages.gradient(200, 100, "jpeg"));
        Path png = TestImages.write(dir, "x.png", TestImages.gradient(100, 200, "png"));
        Path other = TestImages.write(dir, "y.png", TestImages.gradient(100, 100, "png"));
        Path outDir = dir.resolve("out");

        int exit = run("--size", "50x50", "-o", outDir.toString(), jpeg.toString(), png.toString(), other.toString());

        assertThat(exit).as("exit code; stderr: %s", stderr()).isZero();
        try (Stream<Path> files = Files.list(outDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("files in OUTDIR")
                    .containsExactlyInAnyOrder("x.jpg.jpg", "x.png.jpg", "y.jpg");
        }
        BufferedImage fromPng = ImageIO.read(outDir.resolve("x.png.jpg").toFile());
        assertThat(fromPng.getWidth() + "x" + fromPng.getHeight()).as("x.png's thumbnail").isEqualTo("25x50");
    }

    @Test
    void a_file_already_under_a_thumbnails_name_is_left_as_it_was_and_that_input_fails_naming_it()
            throws IOException {
        Path outDir = Files.createDirectories(dir.resolve("pictures"));
        Path png = TestImages.write(outDir, "pic.png", TestImages.gradient(300, 200, "png"));
        byte[] original = TestImages.gradient(1600, 1200, "jpeg");
        Path photo = TestImages.write(outDir, "pic.jpg", original);
        Path other = TestImages.write(dir, "other.png", TestImages.gradient(64, 64, "png"));

        int exit = run("--size", "100x100", "-o", outDir.toString(), png.toString(), other.toString());

        assertThat(exit).as("exit code when a file failed").isEqualTo(1);
        assertThat(photo).as("the photo that had the thumbnail's name").hasBinaryContent(original);
        assertThat(stderr().lines()).as("the failure line")
                .containsExactly(png + ": invalid_request: " + photo + " exists; --overwrite replaces it");
        assertThat(outDir.resolve("other.jpg")).as("the other input's thumbnail").isRegularFile();
    }

    @Test
    void with_overwrite_a_file_under_a_thumbnails_name_is_replaced() throws IOException {
        Path image = TestImages.write(dir, "a.png", TestImages.gradient(300, 200, "png"));
        Path outDir = Files.createDirectories(dir.resolve("out"));
        Path earlier = Files.writeString(outDir.resolve("a.jpg"), "an earlier run's thumbnail");

        int exit = run("--size", "90x90", "--overwrite", "-o", outDir.toString(), image.toString());

        assertThat(exit).as("exit code; stderr: %s", stderr()).isZero();
        BufferedImage made = ImageIO.read(earlier.toFile());
        assertThat(made).as("a.jpg, an image now").isNotNull();
        assertThat(made.getWidth() + "x" + made.getHeight()).as("a.jpg's size").isEqualTo("90x60");
    }

    @Test
    void a_pipe_named_on_the_command_line_is_refused_at_once_and_the_other_files_are_made() throws Exception {
        Path pipe = dir.resolve("pipe.jpg");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo makes a named pipe here");
        Path image = TestImages.write(dir, "a.png", TestImages.gradient(64, 64, "png"));
        Path outDir = dir.resolve("out");

        int exit = run("--size", "32x32", "-o", outDir.toString(), pipe.toString(), image.toString());

        assertThat(exit).as("exit code when a file failed").isEqualTo(1);
        assertThat(stderr()).as("the failure line").contains(pipe + ": invalid_request: not a regular file");
        assertThat(outDir.resolve("a.jpg")).as("the other file's thumbnail").isRegularFile();
    }

    @Test
    void a_size_out_of_range_is_refused_naming_the_flag() {
        assertThat(run("--size", "0x0", "-o", dir.resolve("out").toString(), "a.jpg")).as("exit code").isEqualTo(2);
        assertThat(stderr()).as("stderr").startsWith("thumbnail: --size: width must be");
    }

    @Test
    void a_quality_out_of_range_is_refused_naming_the_flag() {
        assertThat(run("--size", "10x10", "--quality", "0", "-o", dir.resolve("out").toString(), "a.jpg"))
                .as("exit code").isEqualTo(2);
        assertThat(stderr()).as("stderr").startsWith("thumbnail: --quality: quality must be");
    }

    @Test
    void a_negative_limit_is_refused_as_a_value_out_of_range_not_as_an_option() {
        assertThat(run("--size", "10x10", "--max-pixels", "-5", "-o", dir.resolve("out").toString(), "a.jpg"))
                .as("exit code").isEqualTo(2);
        assertThat(stderr()).as("stderr")
                .startsWith("thumbnail: --max-pixels must be a whole number of 1 or more (was '-5')");
    }

    @Test
    void honours_fit_format_and_quality() throws IOException {
        Path a = TestImages.write(dir, "wide.png", TestImages.gradient(300, 100, "png"));

        int exit = run("--size", "50x50", "--fit", "cover", "--format", "png", "--quality", "70",
                "-o", dir.resolve("out").toString(), a.toString());

        assertThat(exit).as("exit code; stderr: %s", stderr()).isZero();
        BufferedImage thumbnail = ImageIO.read(dir.resolve("out/wide.png").toFile());
        assertThat(thumbnail.getWidth() + "x" + thumbnail.getHeight()).as("cover fills the box exactly").isEqualTo("50x50");
    }

    @Test
    void gravity_and_focus_choose_which_part_a_cover_crop_keeps() throws IOException {
        // Orange on the left, fading to blue on the right.
        Path wide = TestImages.write(dir, "wide.png", TestImages.gradient(300, 100, "png"));

        run("--size", "50x50", "--fit", "cover", "--gravity", "west", "--format", "png", "-o", dir.resolve("west").toString(), wide.toString());
        run("--size", "50x50", "--fit", "cover", "--focus", "1,0.5", "--format", "png", "-o", dir.resolve("focus").toString(), wide.toString());

        assertThat(stderr()).isEmpty();
        int west = ImageIO.read(dir.resolve("west/wide.png").toFile()).getRGB(25, 25);
        int right = ImageIO.read(dir.resolve("focus/wide.png").toFile()).getRGB(25, 25);
        assertThat((west >> 16) & 0xFF).as("red in the middle of the west crop, against the right-hand crop's")
                .isGreaterThan(((right >> 16) & 0xFF) + 100);
    }

    @Test
    void a_gravity_without_fit_cover_is_refused_naming_it() {
        int exit = run("--size", "100x100", "--gravity", "smart", "-o", dir.toString(), "x.png");

        assertThat(exit).isEqualTo(2);
        assertThat(stderr()).contains("gravity smart needs fit cover: only cover crops (fit was contain)");
    }

    @Test
    void a_focus_outside_the_image_is_refused_naming_it() {
        int exit = run("--size", "100x100", "--fit", "cover", "--focus", "2,0", "-o", dir.toString(), "x.png");

        assertThat(exit).isEqualTo(2);
        assertThat(stderr()).contains("focus must lie within the image: x and y between 0 and 1 (was 2.0,0.0)");
    }

    @Test
    void format_webp_writes_name_webp_that_libwebp_reads() throws IOException {
        Path a = TestImages.write(dir, "beach.jpeg", TestImages.photo(400, 300, 1));

        int exit = run("--size", "100x100", "--format", "webp", "-o", dir.resolve("out").toString(), a.toString());

        assertThat(exit).as("exit code; stderr: %s", stderr()).isZero();
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("beach.webp");
        }
        BufferedImage thumbnail = WebpDecoders.libwebp(Files.readAllBytes(dir.resolve("out/beach.webp")));
        assertThat(thumbnail.getWidth() + "x" + thumbnail.getHeight()).isEqualTo("100x75");
    }

    @Test
    void format_auto_webp_writes_the_webp_and_its_fallback() throws IOException {
        Path a = TestImages.write(dir, "beach.jpeg", TestImages.photo(400, 300, 1));

        int exit = run("--size", "100x100", "--format", "auto-webp", "-o", dir.resolve("out").toString(), a.toString());

        assertThat(exit).as("exit code; stderr: %s", stderr()).isZero();
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("beach.webp", "beach.jpg");
        }
    }

    @Test
    void prints_one_line_per_failure_with_file_and_code_and_exits_non_zero() throws IOException {
        Path good = TestImages.write(dir, "good.png", TestImages.gradient(64, 64, "png"));
        Path text = TestImages.write(dir, "notes.jpg", "just some text".getBytes(StandardCharsets.UTF_8));
        Path missing = dir.resolve("missing.png");

        int exit = run("--size", "32x32", "-o", dir.resolve("out").toString(),
                good.toString(), text.toString(), missing.toString());

        assertThat(exit).as("exit code when a file failed").isEqualTo(1);
        List<String> lines = new ArrayList<>(stderr().lines().toList());
        assertThat(lines).as("one stderr line per failed file").hasSize(2);
        assertThat(lines.get(0)).as("names the file and the code").startsWith(text + ": unsupported_format: ");
        assertThat(lines.get(1)).as("names the file and the code").startsWith(missing + ": io_error: ");
        assertThat(Files.exists(dir.resolve("out/good.jpg"))).as("the good file is still written").isTrue();
    }

    @Test
    void processes_many_files_on_several_threads_without_losing_any() throws IOException {
        List<String> args = new ArrayList<>(List.of("--size", "16x", "-o", dir.resolve("out").toString()));
        for (int i = 0; i < 12; i++) {
            args.add(TestImages.write(dir, "img" + i + ".png", TestImages.gradient(40 + i, 30, "png")).toString());
        }

        int exit = run(args.toArray(String[]::new));

        assertThat(exit).as("exit code; stderr: %s", stderr()).isZero();
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertThat(files.count()).as("every input has its thumbnail").isEqualTo(12);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("12 thumbnails written");
    }

    @Test
    void a_bad_option_names_it_and_exits_two() {
        int exit = run("--size", "100x100", "--fit", "squash", "-o", dir.toString(), "x.png");

        assertThat(exit).isEqualTo(2);
        assertThat(stderr()).as("the message names the option and what is allowed")
                .contains("fit must be one of contain, cover, fill (was 'squash')");
    }

    @Test
    void a_malformed_size_is_refused_with_the_expected_shape() {
        int exit = run("--size", "big", "-o", dir.toString(), "x.png");

        assertThat(exit).isEqualTo(2);
        assertThat(stderr()).contains("--size must be WxH, Wx or xH");
    }

    @Test
    void an_input_the_system_will_not_let_it_read_fails_with_the_systems_reason() throws IOException {
        Path locked = TestImages.write(dir, "locked.png", TestImages.gradient(64, 64, "png"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(locked), "running as root, who may read any file");

        int exit = run("--size", "32x32", "-o", dir.resolve("out").toString(), locked.toString());

        assertThat(exit).as("exit code when a file failed").isEqualTo(1);
        assertThat(stderr().lines()).as("the failure line")
                .containsExactly(locked + ": io_error: could not read " + locked + ": Permission denied");
    }

    @Test
    void a_thumbnail_the_system_will_not_let_it_write_fails_with_the_systems_reason() throws IOException {
        Path image = TestImages.write(dir, "x.png", TestImages.gradient(64, 64, "png"));
        Path outDir = Files.createDirectories(dir.resolve("out"));
        Files.setPosixFilePermissions(outDir, PosixFilePermissions.fromString("r-xr-xr-x"));
        assumeFalse(Files.isWritable(outDir), "running as root, who may write in any directory");

        int exit = run("--size", "32x32", "-o", outDir.toString(), image.toString());

        assertThat(exit).as("exit code when a file failed").isEqualTo(1);
        assertThat(stderr().lines()).as("the failure line")
                .containsExactly(image + ": io_error: could not write " + outDir.resolve("x.jpg") + ": Permission denied");
    }

    @Test
    void a_thumbnail_that_cannot_replace_what_has_its_name_fails_naming_it_with_the_systems_reason()
            throws IOException {
        Path image = TestImages.write(dir, "x.png", TestImages.gradient(64, 64, "png"));
        Path outDir = dir.resolve("out");
        Path taken = Files.createDirectories(outDir.resolve("x.jpg").resolve("inside"));

        int exit = run("--size", "32x32", "--overwrite", "-o", outDir.toString(), image.toString());

        assertThat(exit).as("exit code when a file failed").isEqualTo(1);
        assertThat(stderr().lines()).as("the failure line, naming the thumbnail rather than its temporary file")
                .containsExactly(image + ": io_error: could not write " + taken.getParent() + ": Is a directory");
    }

    @Test
    void an_output_directory_that_cannot_be_made_is_refused_with_the_systems_reason() throws IOException {
        Path file = TestImages.write(dir, "notes.txt", "not a directory".getBytes(StandardCharsets.UTF_8));
        Path outDir = file.resolve("out");

        int exit = run("--size", "32x32", "-o", outDir.toString(), "x.png");

        assertThat(exit).isEqualTo(2);
        assertThat(stderr().lines()).as("stderr")
                .containsExactly("thumbnail: cannot create " + outDir + ": Not a directory");
    }

    @Test
    void an_empty_output_directory_is_refused_naming_the_flag() throws IOException {
        String name = "empty-output-" + ProcessHandle.current().pid();
        Path image = TestImages.write(dir, name + ".png", TestImages.gradient(20, 20, "png"));
        Path stray = Path.of(name + ".jpg");

        try {
            int exit = run("--size", "10x10", "-o", "", image.toString());

            assertThat(exit).as("exit code").isEqualTo(2);
            assertThat(stderr()).as("stderr")
                    .contains("-o must name the output directory, for example -o thumbs (was '')");
            assertThat(stray).as("a thumbnail in the current directory").doesNotExist();
        } finally {
            Files.deleteIfExists(stray);
        }
    }

    @Test
    void the_help_lists_every_format_the_format_flag_takes() throws IOException {
        Path image = TestImages.write(dir, "x.png", TestImages.gradient(20, 20, "png"));

        assertThat(run("--help")).isZero();

        String help = out.toString(StandardCharsets.UTF_8);
        Matcher usage = Pattern.compile("\\[--format ([a-z|-]+)]").matcher(help);
        assertThat(usage.find()).as("the usage line's --format choices in %s", help).isTrue();
        List<String> listed = List.of(usage.group(1).split("\\|"));
        assertThat(listed).as("formats the usage line lists")
                .containsExactlyInAnyOrder(Stream.of(OutputFormat.values()).map(OutputFormat::id).toArray(String[]::new));
        for (String format : listed) {
            assertThat(help).as("the --format lines").containsPattern("(?m)^(  --format)? +" + Pattern.quote(format)
                    + "( |$)");
            assertThat(run("--size", "10x10", "--format", format, "-o", dir.resolve(format).toString(),
                    image.toString())).as("exit code of --format %s; stderr: %s", format, stderr()).isZero();
        }
    }

    @Test
    void a_thumbnail_is_never_written_over_its_own_input() throws IOException {
        byte[] photo = TestImages.gradient(400, 300, "jpeg");
        Path input = TestImages.write(dir, "photo.jpg", photo);

        int exit = run("--size", "64x64", "--format", "jpeg", "-o", dir.toString(), input.toString());

        assertThat(exit).as("exit code").isEqualTo(1);
        assertThat(stderr()).contains(input + ": invalid_request: its thumbnail would be written over");
        assertThat(Files.readAllBytes(input)).as("the input, untouched").isEqualTo(photo);
    }

    @Test
    void a_thumbnail_is_never_written_over_another_input_whatever_path_names_it() throws IOException {
        byte[] jpeg = TestImages.gradient(300, 200, "jpeg");
        Path png = TestImages.write(dir, "a.png", TestImages.gradient(200, 300, "png"));
        // The other input is named z.jpg on the command line, and a.jpg (a.png's thumbnail's name) in -o's folder.
        Path jpg = TestImages.write(dir, "a.jpg", jpeg);
        Path link = Files.createLink(Files.createDirectories(dir.resolve("elsewhere")).resolve("z.jpg"), jpg);
        Path sameFolder = dir.resolve("sub").resolve("..");
        Files.createDirectories(dir.resolve("sub"));

        int exit = run("--size", "64x64", "--format", "jpeg", "--overwrite", "-o", sameFolder.toString(),
                png.toString(), link.toString());

        assertThat(exit).as("exit code").isEqualTo(1);
        assertThat(stderr()).as("a.png's thumbnail a.jpg, refused")
                .contains(png + ": invalid_request: its thumbnail would be written over");
        assertThat(Files.readAllBytes(jpg)).as("a.jpg, the other input, untouched").isEqualTo(jpeg);
    }

    @Test
    void a_folder_stands_for_the_files_directly_in_it_but_not_its_hidden_files_or_subfolders() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        TestImages.write(photos, "one.jpg", TestImages.gradient(200, 100, "jpeg"));
        TestImages.write(photos, "two.png", TestImages.gradient(100, 200, "png"));
        Files.writeString(photos.resolve(".DS_Store"), "not an image");
        TestImages.write(Files.createDirectories(photos.resolve("nested")), "three.jpg",
                TestImages.gradient(50, 50, "jpeg"));
        Path outDir = dir.resolve("out");

        int exit = run("--size", "50x50", "-o", outDir.toString(), photos.toString());

        assertThat(exit).as("exit code; stderr: %s", stderr()).isZero();
        try (Stream<Path> files = Files.list(outDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("thumbnails in OUTDIR")
                    .containsExactlyInAnyOrder("one.jpg", "two.jpg");
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 thumbnails written to " + outDir);
    }

    @Test
    void a_file_named_twice_by_its_folder_and_by_itself_is_made_once() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Path one = TestImages.write(photos, "one.jpg", TestImages.gradient(200, 100, "jpeg"));

        int exit = run("--size", "50x50", "-o", dir.resolve("out").toString(), photos.toString(), one.toString(),
                photos.resolve(".").resolve("one.jpg").toString());

        assertThat(exit).as("exit code; stderr: %s", stderr()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 thumbnail written to");
    }

    @Test
    void a_folder_that_cannot_be_listed_fails_naming_it_and_the_other_inputs_are_made() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root lists any folder");
        Path locked = Files.createDirectories(dir.resolve("locked"));
        Path photo = TestImages.write(dir, "photo.jpg", TestImages.gradient(200, 100, "jpeg"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            int exit = run("--size", "50x50", "-o", dir.resolve("out").toString(), locked.toString(),
                    photo.toString());

            assertThat(exit).as("exit code").isEqualTo(1);
            assertThat(stderr()).contains(locked + ": io_error: could not list the folder " + locked);
            assertThat(dir.resolve("out").resolve("photo.jpg")).as("the other input's thumbnail").exists();
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void an_output_directory_that_is_a_file_is_a_usage_error_naming_it() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "kept");
        Path image = TestImages.write(dir, "x.png", TestImages.gradient(20, 20, "png"));

        assertThat(run("--size", "10x10", "-o", file.toString(), image.toString())).as("exit code").isEqualTo(2);

        assertThat(stderr()).contains("-o " + file + " is a file, not a folder");
        assertThat(Files.readString(file)).as("the file named").isEqualTo("kept");
    }

    @Test
    void an_output_directory_that_is_a_link_to_nothing_is_refused_naming_the_link_and_its_target() throws IOException {
        Path gone = dir.resolve("gone");
        Path link = Files.createSymbolicLink(dir.resolve("thumbs"), gone);
        Path image = TestImages.write(dir, "x.png", TestImages.gradient(20, 20, "png"));

        int exit = run("--size", "10x10", "-o", link.toString(), image.toString());

        assertThat(exit).as("exit code").isEqualTo(2);
        assertThat(stderr().lines()).as("stderr").containsExactly("thumbnail: -o " + link + " is a symbolic link to "
                + gone + ", which does not exist");
        assertThat(gone).as("the link's target, not made").doesNotExist();
    }

    @Test
    void an_output_directory_in_a_link_to_nothing_is_refused_naming_the_link_and_its_target() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("thumbs"), Path.of("gone"));
        Path outDir = link.resolve("2024");
        Path image = TestImages.write(dir, "x.png", TestImages.gradient(20, 20, "png"));

        int exit = run("--size", "10x10", "-o", outDir.toString(), image.toString());

        assertThat(exit).as("exit code").isEqualTo(2);
        assertThat(stderr().lines()).as("stderr, the link's target as it was given, relative to the link")
                .containsExactly("thumbnail: cannot create " + outDir + ": " + link + " is a symbolic link to gone,"
                        + " which does not exist");
    }

    @Test
    void an_output_directory_that_is_a_link_to_a_link_to_nothing_is_refused_saying_the_chain_leads_nowhere()
            throws IOException {
        Path middle = Files.createSymbolicLink(dir.resolve("middle"), dir.resolve("gone"));
        Path link = Files.createSymbolicLink(dir.resolve("thumbs"), middle);
        Path image = TestImages.write(dir, "x.png", TestImages.gradient(20, 20, "png"));

        int exit = run("--size", "10x10", "-o", link.toString(), image.toString());

        assertThat(exit).as("exit code").isEqualTo(2);
        assertThat(stderr().lines()).as("stderr").containsExactly("thumbnail: -o " + link + " is a symbolic link to "
                + middle + ", itself a link that leads nowhere (to nothing, or round in a loop)");
    }

    @Test
    void an_output_directory_that_is_a_link_to_itself_is_refused_saying_it_leads_nowhere() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("thumbs"), Path.of("thumbs"));
        Path image = TestImages.write(dir, "x.png", TestImages.gradient(20, 20, "png"));

        int exit = run("--size", "10x10", "-o", link.toString(), image.toString());

        assertThat(exit).as("exit code").isEqualTo(2);
        assertThat(stderr().lines()).as("stderr").containsExactly("thumbnail: -o " + link + " is a symbolic link to "
                + "thumbs, itself a link that leads nowhere (to nothing, or round in a loop)");
    }

    @Test
    void a_file_past_the_pixel_limit_fails_naming_the_flag_that_raises_it() throws IOException {
        Path image = TestImages.write(dir, "wide.png", TestImages.gradient(200, 100, "png"));

        int refused = run("--size", "50x50", "--max-pixels", "19999", "-o", dir.resolve("a").toString(),
                image.toString());
        String refusal = stderr();
        int made = run("--size", "50x50", "--max-pixels", "20000", "-o", dir.resolve("b").toString(),
                image.toString());

        assertThat(refused).as("exit code under the limit of 19999 pixels").isEqualTo(1);
        assertThat(refusal).contains(image + ": too_many_pixels:", "(--max-pixels raises the limit)");
        assertThat(made).as("exit code with the limit at the image's 20000 pixels; stderr: %s", stderr()).isZero();
        assertThat(dir.resolve("b").resolve("wide.jpg")).exists();
    }

    @Test
    void a_file_past_the_byte_limit_fails_naming_the_flag_that_raises_it() throws IOException {
        Path image = TestImages.write(dir, "wide.png", TestImages.gradient(200, 100, "png"));
        long bytes = Files.size(image);

        int refused = run("--size", "50x50", "--max-bytes", String.valueOf(bytes - 1), "-o",
                dir.resolve("a").toString(), image.toString());
        String refusal = stderr();
        int made = run("--size", "50x50", "--max-bytes", "1M", "-o", dir.resolve("b").toString(), image.toString());

        assertThat(refused).as("exit code one byte under the file's size").isEqualTo(1);
        assertThat(refusal).contains(image + ": too_large:", "(--max-bytes raises the limit)");
        assertThat(made).as("exit code with --max-bytes 1M; stderr: %s", stderr()).isZero();
    }

    @Test
    void a_box_larger_than_the_servers_largest_side_is_taken_as_the_size_flag_says() throws IOException {
        Path image = TestImages.write(dir, "wide.png", TestImages.gradient(200, 100, "png"));

        int exit = run("--size", "5000x5000", "-o", dir.resolve("out").toString(), image.toString());

        assertThat(exit).as("exit code; stderr: %s", stderr()).isZero();
        BufferedImage made = ImageIO.read(dir.resolve("out").resolve("wide.jpg").toFile());
        assertThat(made.getWidth() + "x" + made.getHeight()).as("fitted, never enlarged").isEqualTo("200x100");
    }

    @Test
    void a_limit_that_is_no_count_is_a_usage_error_naming_it() {
        assertThat(run("--size", "10x10", "--max-bytes", "lots", "-o", "out", "x.png")).isEqualTo(2);
        assertThat(run("--size", "10x10", "--max-pixels", "0", "-o", "out", "x.png")).isEqualTo(2);

        assertThat(stderr()).contains("--max-bytes must be a positive byte count such as 50M or 2G (was 'lots')",
                "--max-pixels must be a whole number of 1 or more (was '0')");
    }

    @Test
    void missing_output_directory_is_a_usage_error() {
        assertThat(run("--size", "10x10", "x.png")).isEqualTo(2);
        assertThat(stderr()).contains("-o OUTDIR is required");
    }
}
