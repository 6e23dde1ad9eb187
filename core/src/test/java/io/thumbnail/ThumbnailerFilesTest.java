package io.thumbnail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

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
    void a_stream_longer_than_the_byte_limit_is_refused_without_a_length_it_never_read() {
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults().withMaxInputBytes(1000));

        assertThatThrownBy(() -> thumbnailer.thumbnail(new ByteArrayInputStream(new byte[5000]),
                ThumbnailSpec.box(10, 10)))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE))
                .hasMessage("the image is more than 1000 bytes; the limit is 1000");
    }

    @Test
    void a_byte_limit_of_long_max_value_reads_a_stream_as_no_limit() {
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults().withMaxInputBytes(Long.MAX_VALUE));

        Thumbnail t = thumbnailer.thumbnail(new ByteArrayInputStream(TestImages.png(40, 20, 1)),
                ThumbnailSpec.box(10, 10));

        assertThat(t.width()).as("thumbnail width").isEqualTo(10);
    }

    @Test
    void a_file_the_system_will_not_let_it_read_is_refused_with_the_systems_reason() throws IOException {
        Path locked = Files.write(dir.resolve("locked.png"), TestImages.png(8, 8, 1));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(locked), "running as root, who may read any file");

        assertThatThrownBy(() -> Thumbnailer.create(Limits.defaults()).thumbnail(locked, ThumbnailSpec.box(10, 10)))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR))
                .hasMessage("could not read " + locked + ": Permission denied");
    }

    @Test
    void a_path_through_a_file_is_refused_with_the_systems_reason_after_the_path() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a directory");
        Path inside = file.resolve("x.png");

        assertThatThrownBy(() -> Thumbnailer.create(Limits.defaults()).thumbnail(inside, ThumbnailSpec.box(10, 10)))
                .isInstanceOf(ThumbnailException.class)
                .hasMessage("could not read " + inside + ": Not a directory");
    }

    @Test
    void a_directory_is_refused_saying_so() {
        assertThatThrownBy(() -> Thumbnailer.create(Limits.defaults()).thumbnail(dir, ThumbnailSpec.box(10, 10)))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR))
                .hasMessageContaining("is a directory");
    }
}
