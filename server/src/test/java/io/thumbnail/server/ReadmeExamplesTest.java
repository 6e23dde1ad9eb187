package io.thumbnail.server;

import io.thumbnail.ServiceStats;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every example in a {@code console} block of README.md and of every {@code docs/*.md} page against a started
 * server, in order, and checks it prints what the page shows, so the docs cannot drift from the behaviour. Each page
 * gets a fresh server and working directory. A {@code $} line may be
 * <ul>
 *   <li>{@code curl ...}: run by {@link CurlCommand}, its output compared by {@link OutputMatcher};</li>
 *   <li>{@code java -jar server/target/thumbnail-server.jar thumbnail ...}: the batch command line, run in-process
 *       in the working directory, its standard error then standard output compared;</li>
 *   <li>{@code java -jar server/target/thumbnail-server.jar FLAGS}: the page's server is restarted with these flags
 *       on the same data directory (nothing may be shown under it);</li>
 *   <li>{@code mvn ...}: the build itself, which is what runs this test; not run again.</li>
 * </ul>
 * Anything else in a console block fails the test: commands that cannot be run here belong in {@code sh} blocks.
 * Reads the files at the repository root.
 */
class ReadmeExamplesTest {
    private static final String JAR = "java -jar server/target/thumbnail-server.jar";

    @TempDir
    Path dir;

    record Example(String command, String output) {
    }

    @TestFactory
    Stream<DynamicTest> every_console_example_prints_what_its_page_shows() throws IOException {
        Path root = Path.of(System.getenv().getOrDefault("THUMBNAIL_REPO_ROOT", ".."));
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertThat(examples(Files.readString(root.resolve("README.md")))).as("examples in README.md")
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(examples(Files.readString(root.resolve("docs/api.md")))).as("examples in docs/api.md")
                .hasSizeGreaterThanOrEqualTo(10);
        return pages.stream().map(page -> DynamicTest.dynamicTest(root.relativize(page).toString(),
                () -> runPage(page, Files.createDirectories(dir.resolve(page.getFileName().toString())))));
    }

    private static void runPage(Path page, Path base) throws IOException {
        List<Example> examples = examples(Files.readString(page));
        Path work = Files.createDirectories(base.resolve("work"));
        TestImages.write(work, "IMG_8667.png", TestImages.gradient(613, 624, "png"));
        TestImages.write(work, "a.png", TestImages.gradient(300, 200, "png"));
        TestImages.write(work, "b.png", TestImages.gradient(200, 300, "png"));
        TestImages.write(work, "photo.jpg", TestImages.photo(1600, 1200, 1));
        TestImages.write(work, "notes.txt", "not an image\n".getBytes(StandardCharsets.UTF_8));
        OutputMatcher matcher = new OutputMatcher();

        TestServer server = TestServer.start(base.resolve("data"));
        try {
            for (Example example : examples) {
                String command = matcher.substitute(example.command());
                String printed;
                if (command.startsWith("curl ")) {
                    if (command.contains("/health") || command.contains("/metrics")) {
                        settle(server);
                    }
                    printed = CurlCommand.parse(command).run(server, work);
                } else if (command.startsWith(JAR + " thumbnail ")) {
                    printed = cli(CurlCommand.shellWords(command.substring(JAR.length())), work);
                } else if (command.equals(JAR) || command.startsWith(JAR + " ")) {
                    assertThat(example.output()).as("%s\n$ %s shows nothing under it", page, command).isBlank();
                    server.close();
                    server = TestServer.start(base.resolve("data"),
                            CurlCommand.shellWords(command.substring(JAR.length())).toArray(String[]::new));
                    continue;
                } else if (command.startsWith("mvn ")) {
                    continue;
                } else {
                    throw new AssertionError(page + "\n$ " + command
                            + "\nis not an example this test can run: put it in a sh block");
                }
                assertThat(matcher.mismatch(example.output(), printed))
                        .as("%s\n$ %s\nprinted:\n%s", page, example.command(), printed)
                        .isNull();
            }
        } finally {
            server.close();
        }
    }

    /**
     * Waits (30 s at most) until the jobs earlier examples queued are made, and has the status that health and metrics
     * answer from read afresh: a reader typing the next command finds them made, where a test on a loaded machine may
     * not.
     */
    private static void settle(TestServer server) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            ServiceStats stats = server.service.stats();
            if (stats.queued() == 0 && stats.processing() == 0) {
                break;
            }
            Thread.onSpinWait();
        }
        server.checkStatus();
    }

    /** The batch command line in {@code work}: what a terminal shows, its errors first. */
    private static String cli(List<String> args, Path work) {
        List<String> resolved = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            boolean path = i > 0 && args.get(i - 1).equals("-o") || !arg.startsWith("-") && Files.exists(work.resolve(arg));
            resolved.add(path ? work.resolve(arg).toString() : arg);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.run(resolved.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8);
        return printed.replace(work + File.separator, "");
    }

    /** Each {@code $ ...} line of a console block, with the lines printed under it. */
    static List<Example> examples(String markdown) {
        List<Example> examples = new ArrayList<>();
        boolean inConsole = false;
        String command = null;
        StringBuilder output = new StringBuilder();
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                if (inConsole && command != null) {
                    examples.add(new Example(command, output.toString()));
                }
                inConsole = !inConsole && line.equals("```console");
                command = null;
            } else if (inConsole && line.startsWith("$ ")) {
                if (command != null) {
                    examples.add(new Example(command, output.toString()));
                }
                command = line.substring(2);
                output.setLength(0);
            } else if (inConsole && command != null) {
                output.append(line).append('\n');
            }
        }
        return examples;
    }
}
