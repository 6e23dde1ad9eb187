package io.thumbnail.internal.blob;

import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.health.StoreHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The blob store contract on a real folder, and what the local store does with files. */
class LocalBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path dir;

    @Override
    protected BlobStore openStore() {
        return new LocalBlobStore(dir);
    }

    private long fileCount() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void a_folder_it_creates_is_open_to_its_owner_only() throws IOException {
        Path folder = dir.resolve("made-by-operator").resolve("blobs");
        Files.createDirectories(folder.getParent(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));

        new LocalBlobStore(folder).write(SHA, BYTES);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
                .as("another local user must not reach the originals through a data folder made world-readable")
                .isEqualTo("rwx------");
    }

    @Test
    void a_write_cut_short_by_an_interrupt_is_no_failure_of_the_disk() {
        StoreHealth health = new StoreHealth("the blob store", Clock.systemUTC());
        LocalBlobStore blobs = new LocalBlobStore(dir, health);

        Thread.currentThread().interrupt(); // as a job's time limit or a delete interrupts its worker
        try {
            assertThatThrownBy(() -> blobs.write(SHA, BYTES)).as("a write by an interrupted thread")
                    .isInstanceOf(StoreException.class);
        } finally {
            Thread.interrupted();
        }

        assertThat(health.writable()).as("the blob store, which submits are refused 503 while it fails").isTrue();
        assertThat(blobs.write(SHA, BYTES)).as("the next write").isTrue();
    }

    @Test
    void a_folder_already_there_keeps_its_permissions() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("blobs"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-x---")));

        new LocalBlobStore(folder);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwxr-x---");
    }

    @Test
    void file_lives_in_a_folder_named_from_its_hash() {
        LocalBlobStore blobs = new LocalBlobStore(dir);

        blobs.write(SHA, BYTES);

        assertThat(dir.resolve(SHA.substring(0, 2)).resolve(SHA)).hasBinaryContent(BYTES);
        assertThat(blobs.path(SHA)).isEqualTo(dir.resolve(SHA.substring(0, 2)).resolve(SHA));
    }

    @Test
    void a_photo_sized_write_leaves_no_temporary_file() throws IOException {
        LocalBlobStore blobs = new LocalBlobStore(dir);
        byte[] photo = photo(3 * DirectIo.CHUNK_BYTES + 12345, 7);
        String sha = sha256(photo);

        blobs.write(sha, photo);

        assertThat(blobs.path(sha)).as("the stored photo").hasBinaryContent(photo);
        assertThat(fileCount()).as("files in the store").isEqualTo(1);
    }

    @Test
    void a_new_store_makes_its_256_folders_so_writes_make_none() throws IOException {
        new LocalBlobStore(dir);

        try (Stream<Path> folders = Files.list(dir)) {
            assertThat(folders.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> name.matches("[0-9a-f]{2}")))
                    .as("prefix folders of a new store").hasSize(256).contains("00", "7f", "ff");
        }
    }

    @Test
    void a_folder_removed_behind_the_stores_back_is_made_again_by_the_next_write() throws IOException {
        LocalBlobStore blobs = new LocalBlobStore(dir);
        Files.delete(dir.resolve(SHA.substring(0, 2)));

        blobs.write(SHA, BYTES);

        assertThat(blobs.path(SHA)).as("the stored file").hasBinaryContent(BYTES);
    }

    @Test
    void writers_racing_to_make_the_same_missing_folder_all_store_their_files() throws Exception {
        LocalBlobStore blobs = new LocalBlobStore(dir);
        Files.delete(dir.resolve("ab"));
        int writers = 8;
        // Same first two hex digits, so every writer needs the same folder, which does not exist.
        List<String> hashes = IntStream.range(0, writers)
                .mapToObj(i -> "abcd" + String.format(Locale.ROOT, "%060x", i)).toList();
        List<Boolean> stored = atOnce(hashes.stream().<Callable<Boolean>>map(sha -> () -> blobs.write(sha, BYTES))
                .toList());

        assertThat(stored).as("racing writers that stored their file").containsOnly(true);
        for (String sha : hashes) {
            assertThat(blobs.path(sha)).as("file of one racing writer").hasBinaryContent(BYTES);
        }
        assertThat(fileCount()).as("files after the race").isEqualTo(writers);
    }

    @Test
    void an_upload_is_received_inside_the_store_and_stored_by_a_rename() throws IOException {
        LocalBlobStore blobs = new LocalBlobStore(dir);
        try (BlobStore.Incoming incoming = blobs.receive()) {
            incoming.write(java.nio.ByteBuffer.wrap(BYTES));
            incoming.finish();
            try (Stream<Path> received = Files.list(dir.resolve(LocalBlobStore.INCOMING))) {
                assertThat(received).as("files being received").hasSize(1);
            }

            incoming.store(SHA);
        }

        assertThat(blobs.path(SHA)).hasBinaryContent(BYTES);
        try (Stream<Path> received = Files.list(dir.resolve(LocalBlobStore.INCOMING))) {
            assertThat(received).as("files being received after storing").isEmpty();
        }
    }

    @Test
    void a_photo_sized_upload_arriving_in_pieces_is_stored_and_read_back_exactly() throws IOException {
        LocalBlobStore blobs = new LocalBlobStore(dir);
        byte[] photo = photo(3 * DirectIo.CHUNK_BYTES + 4099, 11);
        String sha = sha256(photo);
        try (BlobStore.Incoming incoming = blobs.receive()) {
            for (int at = 0; at < photo.length; at += 32 * 1024 - 3) {
                incoming.write(java.nio.ByteBuffer.wrap(photo, at, Math.min(32 * 1024 - 3, photo.length - at)));
            }
            incoming.finish();
            incoming.store(sha);
        }

        java.nio.ByteBuffer read = new OriginalBuffers(OriginalBuffers.DEFAULT_MAX_KEPT,
                OriginalBuffers.DEFAULT_LARGE_WAIT).read(blobs, sha, photo.length).bytes();

        byte[] got = new byte[read.remaining()];
        read.get(got);
        assertThat(got).as("the original read back into a worker's buffer").isEqualTo(photo);
        assertThat(blobs.path(sha)).as("the stored file, padding cut off").hasBinaryContent(photo);
    }

    @Test
    void write_leaves_no_temporary_file() throws IOException {
        LocalBlobStore blobs = new LocalBlobStore(dir);

        blobs.write(SHA, BYTES);

        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .as("files in the store").containsExactly(SHA);
        }
    }

    @Test
    void opening_deletes_temporary_files_left_by_a_crash() throws IOException {
        Path folder = Files.createDirectories(new LocalBlobStore(dir).path(SHA).getParent());
        Path abandoned = Files.write(folder.resolve(SHA + ".crashed.tmp"), BYTES);

        new LocalBlobStore(dir);

        assertThat(abandoned).as("temporary file of a write cut short").doesNotExist();
    }

    @Test
    void first_sweep_after_opening_is_given_what_opening_found() {
        new LocalBlobStore(dir).write(SHA, BYTES);
        LocalBlobStore blobs = new LocalBlobStore(dir);
        byte[] later = {9, 9};
        blobs.write(sha256(later), later);

        assertThat(blobs.sweepLeftoversAndList().hashes()).as("first sweep: the hashes found when the store opened")
                .containsExactly(SHA);
        assertThat(blobs.sweepLeftoversAndList().hashes()).as("second sweep: a fresh walk")
                .containsExactlyInAnyOrder(SHA, sha256(later));
    }

    @Test
    void sweep_deletes_unpinned_temporary_files_and_lists_stored_hashes() throws IOException {
        LocalBlobStore blobs = new LocalBlobStore(dir);
        blobs.sweepLeftoversAndList();
        blobs.write(SHA, BYTES);
        Path abandoned = Files.write(blobs.path(SHA).resolveSibling(SHA + ".crashed.tmp"), BYTES);
        String otherSha = sha256(new byte[] {1});
        Path inFlight = Files.write(blobs.path(otherSha).resolveSibling(otherSha + ".writing.tmp"), BYTES);

        BlobStore.Listing listing;
        try (BlobStore.Pin pin = blobs.pin(otherSha)) {
            listing = blobs.sweepLeftoversAndList();
        }

        assertThat(listing.hashes()).as("stored hashes").containsExactly(SHA);
        assertThat(listing.leftoversDeleted()).as("temporary files deleted").isEqualTo(1);
        assertThat(abandoned).doesNotExist();
        assertThat(inFlight).as("temporary file of a pinned write").exists();
    }
}
