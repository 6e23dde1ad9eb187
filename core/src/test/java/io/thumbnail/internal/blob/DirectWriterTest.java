package io.thumbnail.internal.blob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class DirectWriterTest {
    @TempDir
    Path dir;

    private static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private DirectWriter writerOnDisk() throws IOException {
        FileStore store = Files.getFileStore(dir);
        assumeThat(store.type()).as("direct I/O needs a disk file system under the temp folder")
                .isNotEqualTo("tmpfs");
        return DirectWriter.forFolder(dir);
    }

    @Test
    void files_of_every_length_around_blocks_and_chunks_are_written_exactly() throws IOException {
        DirectWriter writer = writerOnDisk();
        int chunk = DirectWriter.CHUNK_BYTES;
        int[] lengths = {DirectWriter.MIN_BYTES, DirectWriter.MIN_BYTES + 1, 300 * 4096 - 1, 300 * 4096,
                chunk - 1, chunk, chunk + 1, 3 * chunk + 4097};
        for (int length : lengths) {
            byte[] bytes = bytes(length, length);
            Path file = dir.resolve("f" + length);

            assertThat(writer.write(file, bytes)).as("written directly: %d bytes", length).isTrue();

            assertThat(Files.size(file)).as("size of the %d-byte file (padding cut off)", length).isEqualTo(length);
            assertThat(file).as("content of the %d-byte file", length).hasBinaryContent(bytes);
        }
        assertThat(writer.enabled()).as("still on after writing").isTrue();
    }

    @Test
    void small_files_are_left_to_the_usual_write() throws IOException {
        DirectWriter writer = DirectWriter.forFolder(dir);
        Path file = dir.resolve("small");

        assertThat(writer.write(file, bytes(DirectWriter.MIN_BYTES - 1, 1))).isFalse();

        assertThat(file).as("nothing created for the caller to trip over").doesNotExist();
    }

    @Test
    void a_first_write_the_file_system_refuses_turns_direct_io_off_and_leaves_no_file() throws IOException {
        writerOnDisk();
        // Aligned to 512 bytes where the file system wants whole 4 KB blocks: the JDK refuses the write.
        assumeThat(Files.getFileStore(dir).getBlockSize()).as("block size of the temp folder").isGreaterThan(512);
        DirectWriter writer = new DirectWriter(512);
        Path file = dir.resolve("photo");

        assertThat(writer.write(file, bytes(DirectWriter.MIN_BYTES + 1, 2))).as("written directly").isFalse();

        assertThat(file).as("left for the usual write").doesNotExist();
        assertThat(writer.enabled()).as("still on after a refused write").isFalse();
    }

    @Test
    void an_existing_file_is_an_error_not_a_fallback() throws IOException {
        DirectWriter writer = writerOnDisk();
        Path file = Files.write(dir.resolve("taken"), new byte[] {1});

        assertThatThrownBy(() -> writer.write(file, bytes(DirectWriter.MIN_BYTES, 3)))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(file).as("the existing file").hasBinaryContent(new byte[] {1});
    }

    @Test
    void a_missing_folder_is_left_to_the_usual_write_which_makes_it() throws IOException {
        DirectWriter writer = writerOnDisk();

        assertThat(writer.write(dir.resolve("gone").resolve("photo"), bytes(DirectWriter.MIN_BYTES, 4))).isFalse();

        assertThat(writer.enabled()).as("still on: the folder, not the file system, was the problem").isTrue();
    }

    @Test
    void concurrent_writers_each_write_exactly_or_leave_the_file_to_the_usual_write() throws Exception {
        DirectWriter writer = writerOnDisk();
        int writers = DirectWriter.BUFFERS * 4;
        byte[] bytes = bytes(4 * DirectWriter.CHUNK_BYTES, 5);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Path file = dir.resolve("w" + i);
                results.add(pool.submit(() -> {
                    start.await();
                    return writer.write(file, bytes);
                }));
            }
            start.countDown();
            int direct = 0;
            for (int i = 0; i < writers; i++) {
                if (results.get(i).get()) {
                    direct++;
                    assertThat(dir.resolve("w" + i)).as("file %d", i).hasBinaryContent(bytes);
                } else {
                    assertThat(dir.resolve("w" + i)).as("file %d, sent the usual way", i).doesNotExist();
                }
            }
            assertThat(direct).as("writers that got a buffer").isBetween(1, writers);
        } finally {
            pool.shutdownNow();
        }
    }
}
