package io.thumbnail.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's configuration table against the server's declaration of its options ({@link ServerOptions}): one row per
 * option in the declared order, with its environment variable, default, allowed values and meaning exactly as
 * declared, so the table and {@code --help} cannot drift apart. A failure prints the whole table as it should be.
 */
class ConfigurationTableTest {
    static final String HEADER = "| Flag | Environment variable | Default | Allowed values | Meaning |";

    @Test
    void every_row_is_the_declared_option_with_its_variable_default_allowed_values_and_meaning() throws IOException {
        List<String> expected = expectedTable();
        List<String> actual = readmeTableLines();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            String want = i < expected.size() ? expected.get(i) : "(no line)";
            String have = i < actual.size() ? actual.get(i) : "(no line)";
            if (!want.equals(have)) {
                problems.add("line " + (i + 1) + " of the table is\n    " + have + "\n  the declaration says\n    " + want);
            }
        }

        assertThat(problems).as("README.md's configuration table against ServerOptions; the table should read:%n%s%n",
                String.join("\n", expected)).isEmpty();
    }

    @Test
    void every_row_is_an_option_the_server_takes() throws IOException {
        Set<String> unknown = new LinkedHashSet<>(readmeTable().keySet());
        ServerOptions.ALL.forEach(option -> unknown.remove(option.name()));
        unknown.remove("help");
        unknown.remove("version");

        assertThat(unknown).as("flags in README.md's configuration table that the server does not take").isEmpty();
    }

    @Test
    void the_defaults_shown_in_words_are_what_the_server_computes() {
        assertThat(ServerOptions.WORKERS.documentedDefault()).isEqualTo("number of cores");
        assertThat(ServerOptions.WORKERS.defaultValue()).as("--workers defaults to the number of cores")
                .isEqualTo(String.valueOf(Runtime.getRuntime().availableProcessors()));
    }

    /** The table README should hold: the header, its rule, a row per option, {@code --help} and {@code --version}. */
    static List<String> expectedTable() {
        List<String> lines = new ArrayList<>(List.of(HEADER, "|---|---|---|---|---|"));
        for (ServerOption option : ServerOptions.ALL) {
            lines.add("| `--" + option.name() + "` | `" + option.env() + "` | " + option.documentedDefault() + " | "
                    + option.allowed() + " | " + option.help() + " |");
        }
        lines.add("| `--help`, `-h` | | | | " + ServerOptions.HELP + " |");
        lines.add("| `--version` | | | | " + ServerOptions.VERSION + " |");
        return lines;
    }

    /** The table's lines under README.md's "## Configuration", from its header to the first line not a row. */
    static List<String> readmeTableLines() throws IOException {
        Path readme = Path.of(System.getenv().getOrDefault("THUMBNAIL_REPO_ROOT", ".."), "README.md");
        List<String> lines = Files.readAllLines(readme);
        int heading = lines.indexOf("## Configuration");
        assertThat(heading).as("a '## Configuration' section in %s", readme).isNotNegative();
        int header = heading + 1;
        while (header < lines.size() && !lines.get(header).startsWith("| Flag |")) {
            header++;
        }
        assertThat(header).as("the configuration table's header in %s", readme).isLessThan(lines.size());
        int end = header;
        while (end < lines.size() && lines.get(end).startsWith("|")) {
            end++;
        }
        return lines.subList(header, end);
    }

    /** The rows of README's table by flag name without the dashes, each its cells. */
    static Map<String, List<String>> readmeTable() throws IOException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        List<String> lines = readmeTableLines();
        for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
            List<String> cells = List.of(line.split("(?<!\\\\)\\|", -1));
            assertThat(cells).as("cells of %s", line).hasSizeGreaterThanOrEqualTo(6);
            String flag = cells.get(1).strip();
            assertThat(flag).as("the flag cell of %s", line).matches("`--[a-z0-9-]+`.*");
            String name = flag.substring(3, flag.indexOf('`', 3));
            assertThat(rows.put(name, cells.subList(2, cells.size() - 1))).as("--%s appears once", name).isNull();
        }
        return rows;
    }
}
