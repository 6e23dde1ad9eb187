package io.thumbnail.internal.blob;

import io.thumbnail.Thumbnailer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class BlobStoreTest {
    @TempDir
    Path dir;

    private static final byte[] BYTES = "some image bytes".getBytes(StandardCharsets.UTF_8);
    private static final String SHA = Thumbnailer.sha256(BYTES);

    private long fileCount() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void file_lives_in_a_folder_named_from_its_hash() {
        BlobStore blobs = new BlobStore(dir);

        Path file = blobs.write(SHA, BYTES);

        assertThat(file).isEqualTo(dir.resolve(SHA.substring(0, 2)).resolve(SHA));
        assertThat(file).hasBinaryContent(BYTES);
    }

    @Test
    void a_photo_sized_file_is_stored_exactly_and_no_temporary_file_is_left() throws IOException {
        BlobStore blobs = new BlobStore(dir);
        byte[] photo = new byte[3 * DirectWriter.CHUNK_BYTES + 12345];
        new java.util.Random(7).nextBytes(photo);
        String sha = Thumbnailer.sha256(photo);

        Path file = blobs.write(sha, photo);

        assertThat(file).as("the stored photo").hasBinaryContent(photo);
        assertThat(fileCount()).as("files in the store").isEqualTo(1);
    }

    @Test
    void a_new_store_makes_its_256_folders_so_writes_make_none() throws IOException {
        new BlobStore(dir);

        try (Stream<Path> folders = Files.list(dir)) {
            assertThat(folders.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> name.matches("[0-9a-f]{2}")))
                    .as("prefix folders of a new store").hasSize(256).contains("00", "7f", "ff");
        }
    }

    @Test
    void a_folder_removed_behind_the_stores_back_is_made_again_by_the_next_write() throws IOException {
        BlobStore blobs = new BlobStore(dir);
        Files.delete(dir.resolve(SHA.substring(0, 2)));

        assertThat(blobs.write(SHA, BYTES)).as("the stored file").hasBinaryContent(BYTES);
    }

    @Test
    void writers_racing_to_make_the_same_missing_folder_all_store_their_files() throws Exception {
        BlobStore blobs = new BlobStore(dir);
        Files.delete(dir.resolve("ab"));
        int writers = 8;
        // Same first two hex digits, so every writer needs the same folder, which does not exist.
        List<String> hashes = IntStream.range(0, writers)
                .mapToObj(i -> "abcd" + String.format(Locale.ROOT, "%060x", i)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Path>> written = new ArrayList<>();
            for (String sha : hashes) {
                written.add(pool.submit(() -> {
                    start.await();
                    return blobs.write(sha, BYTES);
                }));
            }
            start.countDown();
            for (Future<Path> f : written) {
                assertThat(f.get(30, TimeUnit.SECONDS)).as("file of one racing writer").hasBinaryContent(BYTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fileCount()).as("files after the race").isEqualTo(writers);
    }

    @Test
    void identical_bytes_are_stored_once() throws IOException {
        BlobStore blobs = new BlobStore(dir);

        Path first = blobs.write(SHA, BYTES);
        Path second = blobs.write(SHA, BYTES.clone());

        assertThat(second).isEqualTo(first);
        assertThat(fileCount()).as("files after writing the same bytes twice").isEqualTo(1);
    }

    @Test
    void write_leaves_no_temporary_file() throws IOException {
        BlobStore blobs = new BlobStore(dir);

        blobs.write(SHA, BYTES);

        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .as("files in the store").containsExactly(SHA);
        }
    }

    @Test
    void unreferenced_file_is_deleted() {
        BlobStore blobs = new BlobStore(dir);
        Path file = blobs.write(SHA, BYTES);

        assertThat(blobs.deleteIfUnreferenced(SHA, sha -> false)).as("deleted").isTrue();
        assertThat(file).doesNotExist();
    }

    @Test
    void referenced_file_is_kept() {
        BlobStore blobs = new BlobStore(dir);
        Path file = blobs.write(SHA, BYTES);

        assertThat(blobs.deleteIfUnreferenced(SHA, sha -> true)).as("deleted").isFalse();
        assertThat(file).exists();
    }

    @Test
    void pinned_file_is_kept_even_when_no_row_references_it_yet() {
        BlobStore blobs = new BlobStore(dir);
        Path file;
        try (BlobStore.Pin pin = blobs.pin(SHA)) {
            file = blobs.write(SHA, BYTES);

            assertThat(blobs.deleteIfUnreferenced(SHA, sha -> false)).as("deleted while pinned").isFalse();
            assertThat(file).exists();
        }
        assertThat(blobs.deleteIfUnreferenced(SHA, sha -> false)).as("deleted after unpinning").isTrue();
    }

    @Test
    void list_names_every_stored_hash() {
        BlobStore blobs = new BlobStore(dir);
        byte[] other = {1, 2, 3};
        blobs.write(SHA, BYTES);
        blobs.write(Thumbnailer.sha256(other), other);

        assertThat(blobs.list()).containsExactlyInAnyOrder(SHA, Thumbnailer.sha256(other));
    }

    @Test
    void opening_deletes_temporary_files_left_by_a_crash() throws IOException {
        Path folder = Files.createDirectories(new BlobStore(dir).path(SHA).getParent());
        Path abandoned = Files.write(folder.resolve(SHA + ".crashed.tmp"), BYTES);

        new BlobStore(dir);

        assertThat(abandoned).as("temporary file of a write cut short").doesNotExist();
    }

    @Test
    void first_sweep_after_opening_is_given_what_opening_found() {
        new BlobStore(dir).write(SHA, BYTES);
        BlobStore blobs = new BlobStore(dir);
        byte[] later = {9, 9};
        blobs.write(Thumbnailer.sha256(later), later);

        assertThat(blobs.sweepTempFilesAndList().hashes()).as("first sweep: the hashes found when the store opened")
                .containsExactly(SHA);
        assertThat(blobs.sweepTempFilesAndList().hashes()).as("second sweep: a fresh walk")
                .containsExactlyInAnyOrder(SHA, Thumbnailer.sha256(later));
    }

    @Test
    void sweep_deletes_unpinned_temporary_files_and_lists_stored_hashes() throws IOException {
        BlobStore blobs = new BlobStore(dir);
        blobs.sweepTempFilesAndList();
        blobs.write(SHA, BYTES);
        Path abandoned = Files.write(blobs.path(SHA).resolveSibling(SHA + ".crashed.tmp"), BYTES);
        String otherSha = Thumbnailer.sha256(new byte[] {1});
        Path inFlight = Files.write(blobs.path(otherSha).resolveSibling(otherSha + ".writing.tmp"), BYTES);

        BlobStore.Listing listing;
        try (BlobStore.Pin pin = blobs.pin(otherSha)) {
            listing = blobs.sweepTempFilesAndList();
        }

        assertThat(listing.hashes()).as("stored hashes").containsExactly(SHA);
        assertThat(listing.tempFilesDeleted()).as("temporary files deleted").isEqualTo(1);
        assertThat(abandoned).doesNotExist();
        assertThat(inFlight).as("temporary file of a pinned write").exists();
    }
}
