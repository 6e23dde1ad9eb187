package io.thumbnail.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TempFoldersTest {
    @TempDir
    Path tmp;

    @Test
    void deletingManyFilesMarksTheFolderHoldingThem() throws IOException {
        Path run = filled("run", TempFolders.MANY);

        TempFolders.delete(run);

        assertThat(run).as("the folder deleted").doesNotExist();
        assertThat(TempFolders.sinceManyDeleted(tmp, Instant.now().plusSeconds(10)))
                .as("time since the deletion, by the mark left beside it")
                .hasValueSatisfying(ago -> assertThat(ago).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(15)));
    }

    @Test
    void deletingAFewFilesLeavesNoMark() throws IOException {
        Path run = filled("run", 10);

        TempFolders.delete(run);

        assertThat(run).as("the folder deleted").doesNotExist();
        assertThat(TempFolders.sinceManyDeleted(tmp, Instant.now())).as("a mark for 11 deletions").isEmpty();
    }

    private Path filled(String name, int files) throws IOException {
        Path folder = Files.createDirectory(tmp.resolve(name));
        for (int i = 0; i < files; i++) {
            Files.write(folder.resolve("f" + i), new byte[0]);
        }
        return folder;
    }
}
