package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every curl example of the README against a started server and checks it prints what the README shows, so
 * the docs cannot drift from the behaviour.
 * Reads README.md at the repository root.
 */
class ReadmeExamplesTest {
    @TempDir
    Path dir;

    record Example(String command, String output) {
    }

    @Test
    void every_curl_example_prints_what_the_readme_shows() throws IOException {
        Path readme = readme();
        List<Example> examples = examples(Files.readString(readme));
        assertThat(examples).as("curl examples in %s", readme).hasSizeGreaterThanOrEqualTo(10);
        Path work = Files.createDirectories(dir.resolve("work"));
        TestImages.write(work, "IMG_8667.png", TestImages.gradient(613, 624, "png"));
        TestImages.write(work, "a.png", TestImages.gradient(300, 200, "png"));
        TestImages.write(work, "b.png", TestImages.gradient(200, 300, "png"));
        OutputMatcher matcher = new OutputMatcher();

        try (TestServer server = TestServer.start(dir.resolve("data"))) {
            for (Example example : examples) {
                String command = matcher.substitute(example.command());
                String printed = CurlCommand.parse(command).run(server, work);

                assertThat(matcher.mismatch(example.output(), printed))
                        .as("%s\n$ %s\nprinted:\n%s", readme, example.command(), printed)
                        .isNull();
            }
        }
    }

    /** README.md at the repository root; the test fails if it carries no examples. */
    private static Path readme() throws IOException {
        Path main = Path.of(System.getenv().getOrDefault("THUMBNAIL_REPO_ROOT", ".."), "README.md");
        assertThat(examples(Files.readString(main))).as("curl examples in %s", main).isNotEmpty();
        return main;
    }

    /** Each {@code $ curl ...} line of a console block, with the lines printed under it. */
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
                command = line.startsWith("$ curl ") ? line.substring(2) : null;
                output.setLength(0);
            } else if (inConsole && command != null) {
                output.append(line).append('\n');
            }
        }
        return examples;
    }
}
