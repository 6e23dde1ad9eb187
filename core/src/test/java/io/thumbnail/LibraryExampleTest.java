package io.thumbnail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library's example, as README.md and docs/library.md print it, compiled and run as an embedding application
 * would: in a JVM of its own, in a folder holding {@code cat.jpg}.
 */
class LibraryExampleTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern FIRST_JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    private static String firstJavaBlock(Path page) throws IOException {
        Matcher block = FIRST_JAVA_BLOCK.matcher(Files.readString(ROOT.resolve(page), StandardCharsets.UTF_8));
        assertThat(block.find()).as("a java block in %s", page).isTrue();
        return block.group(1);
    }

    @Test
    void the_readme_and_the_library_guide_show_the_same_example() throws IOException {
        assertThat(firstJavaBlock(Path.of("docs/library.md"))).as("docs/library.md's first example")
                .isEqualTo(firstJavaBlock(Path.of("README.md")));
    }

    @Test
    void the_example_compiles_as_printed_and_makes_both_thumbnails() throws Exception {
        Path source = Files.createDirectories(dir.resolve("src")).resolve("LibraryExample.java");
        Files.writeString(source, "import io.thumbnail.*;\nimport java.nio.file.*;\nimport java.time.Duration;\n\n"
                + "public class LibraryExample {\n    public static void main(String[] args) throws Exception {\n"
                + firstJavaBlock(Path.of("README.md")) + "    }\n}\n");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream compilerOutput = new ByteArrayOutputStream();
        int compiled = javac.run(null, compilerOutput, compilerOutput, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), source.toString());
        assertThat(compiled).as("javac's exit code; it said:%n%s", compilerOutput).isZero();

        Path work = Files.createDirectories(dir.resolve("app"));
        Files.write(work.resolve("cat.jpg"), TestImages.jpeg(400, 300, 1));
        Process app = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"),
                "LibraryExample").directory(work.toFile()).redirectErrorStream(true).start();
        String output = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("the example ends").isTrue();

        assertThat(app.exitValue()).as("the example's exit code; it printed:%n%s", output).isZero();
        assertThat(work.resolve("cat.thumbnail.jpg")).as("the pipeline's thumbnail").isNotEmptyFile();
        try (var files = Files.list(work.resolve("data"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).as("the job system's data directory")
                    .contains("jobs.db", "blobs");
        }
    }
}
