package io.thumbnail.internal.health;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The room a failing local store needs before it is taken for working again. */
class FreeSpaceTest {
    @TempDir
    Path dir;

    @Test
    void a_disk_has_the_room_it_has_and_not_more() {
        assertThat(FreeSpace.has(dir, 1)).as("a byte").isTrue();
        assertThat(FreeSpace.has(dir, Long.MAX_VALUE)).as("more than any disk").isFalse();
    }

    @Test
    void a_folder_that_is_not_there_cannot_say_and_passes() {
        assertThat(FreeSpace.has(dir.resolve("gone"), Long.MAX_VALUE)).isTrue();
    }
}
