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
 * The README's configuration table against the server's own option table ({@link ServerConfig#OPTIONS}): every
 * option has a row with its environment variable and default, and every row is an option, so the two cannot drift.
 */
class ConfigurationTableTest {
    /** A row of the table: the cells after the flag. */
    record Row(String env, String defaultValue) {
    }

    /** Defaults computed when the server starts, shown in words; the option's value must be what the words say. */
    private static final Map<String, String> COMPUTED_DEFAULTS = Map.of(
            "workers", "number of cores");

    @Test
    void every_option_has_a_row_with_its_environment_variable_and_default() throws IOException {
        Map<String, Row> rows = readmeTable();
        List<String> problems = new ArrayList<>();
        for (ServerConfig.Option option : ServerConfig.OPTIONS) {
            Row row = rows.get(option.name());
            if (row == null) {
                problems.add("--" + option.name() + " has no row");
                continue;
            }
            if (!row.env().equals("`" + option.env() + "`")) {
                problems.add("--" + option.name() + ": environment variable " + row.env() + ", the server reads `"
                        + option.env() + "`");
            }
            String expected = documentedDefault(option);
            if (!row.defaultValue().equals(expected)) {
                problems.add("--" + option.name() + ": default " + row.defaultValue() + ", the server's is "
                        + expected);
            }
        }
        assertThat(problems).as("README.md's configuration table against ServerConfig's options").isEmpty();
    }

    @Test
    void every_row_is_an_option_the_server_takes() throws IOException {
        Set<String> unknown = new LinkedHashSet<>(readmeTable().keySet());
        ServerConfig.OPTIONS.forEach(option -> unknown.remove(option.name()));
        unknown.remove("help");

        assertThat(unknown).as("flags in README.md's configuration table that the server does not take").isEmpty();
    }

    @Test
    void the_defaults_shown_in_words_are_what_the_server_computes() {
        ServerConfig.Option workers = ServerConfig.OPTIONS.stream().filter(o -> o.name().equals("workers"))
                .findFirst().orElseThrow();

        assertThat(workers.defaultValue()).as("--workers defaults to the number of cores")
                .isEqualTo(String.valueOf(Runtime.getRuntime().availableProcessors()));
    }

    private static String documentedDefault(ServerConfig.Option option) {
        String words = COMPUTED_DEFAULTS.get(option.name());
        if (words != null) {
            return words;
        }
        return option.defaultValue().isEmpty() ? "none" : "`" + option.defaultValue() + "`";
    }

    /** The rows of the table under README.md's "## Configuration", by flag name without the dashes. */
    static Map<String, Row> readmeTable() throws IOException {
        Path readme = Path.of(System.getenv().getOrDefault("THUMBNAIL_REPO_ROOT", ".."), "README.md");
        List<String> lines = Files.readAllLines(readme);
        int heading = lines.indexOf("## Configuration");
        assertThat(heading).as("a '## Configuration' section in %s", readme).isNotNegative();
        int header = heading + 1;
        while (header < lines.size() && !lines.get(header).startsWith("| Flag |")) {
            header++;
        }
        assertThat(lines.get(header)).as("the configuration table's header in %s", readme)
                .isEqualTo("| Flag | Environment variable | Default | Meaning |");
        Map<String, Row> rows = new LinkedHashMap<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("(?<!\\\\)\\|", -1);
            assertThat(cells).as("cells of %s", lines.get(i)).hasSizeGreaterThanOrEqualTo(5);
            String flag = cells[1].strip();
            assertThat(flag).as("the flag cell of %s", lines.get(i)).matches("`--[a-z0-9-]+`");
            String name = flag.substring(3, flag.length() - 1);
            assertThat(rows.put(name, new Row(cells[2].strip(), cells[3].strip())))
                    .as("--%s appears once", name).isNull();
        }
        return rows;
    }
}
