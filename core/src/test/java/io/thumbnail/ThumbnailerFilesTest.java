package io.thumbnail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Thumbnails of paths that are not plain files: refused by name, never read without end. */
class ThumbnailerFilesTest {
    @TempDir
    Path dir;

    @Test
    void a_device_that_never_ends_is_read_only_up_to_the_byte_limit_and_refused_as_too_large() {
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults().withMaxInputBytes(1 << 20));

        assertThatThrownBy(() -> thumbnailer.thumbnail(Path.of("/dev/zero"), ThumbnailSpec.box(10, 10)))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
    }

    @Test
    void a_directory_is_refused_saying_so() {
        assertThatThrownBy(() -> Thumbnailer.create(Limits.defaults()).thumbnail(dir, ThumbnailSpec.box(10, 10)))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR))
                .hasMessageContaining("is a directory");
    }
}
