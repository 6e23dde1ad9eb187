package io.thumbnail.internal.blob;

import io.thumbnail.Thumbnailer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A store written by earlier versions ({@code root/ab/cd/<sha256>}) opens in the one-level layout. */
class LegacyLayoutTest {
    private static final byte[] BYTES = {1, 2, 3, 4};
    private static final String SHA = Thumbnailer.sha256(BYTES);

    @TempDir
    Path dir;

    private Path legacy(String sha) {
        return dir.resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
    }

    private Path legacyFile(String sha, byte[] bytes) throws IOException {
        Path file = legacy(sha);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    /** The hashes stored now, from a fresh walk (the first sweep is given what opening found). */
    private static List<String> storedHashes(LocalBlobStore blobs) {
        blobs.sweepLeftoversAndList();
        return blobs.sweepLeftoversAndList().hashes();
    }

    @Test
    void files_of_the_two_level_layout_are_moved_up_and_readable() throws IOException {
        legacyFile(SHA, BYTES);

        LocalBlobStore blobs = new LocalBlobStore(dir);

        assertThat(blobs.read(SHA)).as("bytes read through the store").isEqualTo(BYTES);
        assertThat(blobs.path(SHA)).as("the file in its one-level place").hasBinaryContent(BYTES);
        assertThat(legacy(SHA).getParent()).as("the emptied second-level folder").doesNotExist();
    }

    @Test
    void temporary_files_of_the_old_layout_are_deleted() throws IOException {
        Path temp = Files.write(Files.createDirectories(legacy(SHA).getParent()).resolve(SHA + ".x.tmp"), BYTES);

        LocalBlobStore blobs = new LocalBlobStore(dir);

        assertThat(temp).as("the crash's temporary file").doesNotExist();
        assertThat(storedHashes(blobs)).as("stored hashes").isEmpty();
    }

    @Test
    void a_file_present_in_both_places_is_kept_once() throws IOException {
        legacyFile(SHA, BYTES);
        Files.createDirectories(dir.resolve(SHA.substring(0, 2)));
        Files.write(dir.resolve(SHA.substring(0, 2)).resolve(SHA), BYTES);

        LocalBlobStore blobs = new LocalBlobStore(dir);

        assertThat(storedHashes(blobs)).as("stored hashes").containsExactly(SHA);
        assertThat(legacy(SHA)).as("the old copy").doesNotExist();
    }

    @Test
    void opening_a_flattened_store_again_changes_nothing() throws IOException {
        legacyFile(SHA, BYTES);
        new LocalBlobStore(dir);

        LocalBlobStore again = new LocalBlobStore(dir);

        assertThat(storedHashes(again)).as("stored hashes").containsExactly(SHA);
        assertThat(again.path(SHA)).hasBinaryContent(BYTES);
    }

    @Test
    void files_moved_up_at_opening_are_listed_once_by_the_first_sweep() throws IOException {
        legacyFile(SHA, BYTES);

        LocalBlobStore blobs = new LocalBlobStore(dir);

        assertThat(blobs.sweepLeftoversAndList().hashes()).as("hashes the first sweep is given").containsExactly(SHA);
    }
}
