package io.thumbnail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * libwebp is a native library loaded once per JVM, so what happens when it loads, fails to load or is killed is seen
 * from child JVMs ({@link WebpChild}).
 */
class WebpNativeTest {
    @TempDir
    Path dir;

    @Test
    void without_the_native_library_webp_is_refused_auto_webp_makes_jpeg_and_webp_still_reads() throws Exception {
        List<String> out = report("-Dcom.luciad.imageio.webp.tmpdir=" + dir.resolve("missing/folder"));

        assertThat(out).as("what the child printed").contains(
                "auto-webp=jpeg fallback false", "webp-input=40x30", "animated-input=40x30");
        assertThat(line(out, "reason=")).contains("native WebP encoder could not be loaded");
        assertThat(line(out, "webp=")).startsWith("webp=invalid_spec: WebP output is unavailable here")
                .endsWith("ask for jpeg or png");
    }

    @Test
    void with_the_native_library_every_webp_path_works() throws Exception {
        List<String> out = report("-Djava.io.tmpdir=" + dir);

        assertThat(out).contains("reason=none", "webp=made", "auto-webp=webp fallback true", "webp-input=40x30",
                "animated-input=40x30");
    }

    @Test
    void the_native_library_lives_in_a_folder_of_the_process_removed_when_it_exits() throws Exception {
        List<String> out = report("-Djava.io.tmpdir=" + dir);

        assertThat(out).contains("reason=none");
        assertThat(nativeFolders()).as("folders left after a normal exit").isEmpty();
    }

    @Test
    void a_killed_process_leaves_its_native_library_and_the_next_start_removes_it() throws Exception {
        Process held = start("hold", "-Djava.io.tmpdir=" + dir);
        Path folder;
        try {
            String first = firstLine(held);
            assertThat(first).as("the child loaded libwebp").startsWith("loaded ");
            folder = Path.of(first.substring("loaded ".length()));
            assertThat(folder.getParent()).isEqualTo(dir);
            assertThat(folder.getFileName().toString()).startsWith("thumbnail-webp-" + held.pid() + "-");
            assertThat(Files.getPosixFilePermissions(folder)).as("a folder only its owner may change")
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE);
        } finally {
            held.destroyForcibly(); // SIGKILL: no exit hook runs
            assertThat(held.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
        }
        try (var files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).as("left by the killed process")
                    .anyMatch(name -> name.endsWith(".so"));
        }

        assertThat(report("-Djava.io.tmpdir=" + dir)).contains("reason=none");

        assertThat(folder).as("the killed process's folder, after the next start").doesNotExist();
    }

    private List<Path> nativeFolders() throws IOException {
        try (var folders = Files.list(dir)) {
            return folders.filter(f -> f.getFileName().toString().startsWith("thumbnail-webp-")).toList();
        }
    }

    private List<String> report(String property) throws Exception {
        Process child = start("report", property);
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = reader(child)) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        }
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(child.exitValue()).as("child exit (stderr: %s)", errors()).isZero();
        return lines;
    }

    private Process start(String mode, String property) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", property, "-cp", System.getProperty("java.class.path"),
                WebpChild.class.getName(), mode);
        pb.redirectError(dir.resolve("child.err").toFile());
        return pb.start();
    }

    private static String firstLine(Process child) throws IOException {
        // The child prints its one line within seconds of starting, or dies; either ends this read.
        return reader(child).readLine();
    }

    private static BufferedReader reader(Process child) {
        return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("(no " + prefix + " line)");
    }

    private String errors() {
        try {
            return Files.readString(dir.resolve("child.err"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
