package io.thumbnail.internal.blob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

class DirectIoTest {
    @TempDir
    Path dir;

    private static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private DirectIo directOnDisk() throws IOException {
        FileStore store = Files.getFileStore(dir);
        assumeThat(store.type()).as("direct I/O needs a disk file system under the temp folder")
                .isNotEqualTo("tmpfs");
        DirectIo direct = DirectIo.forFolder(dir);
        assumeThat(direct.enabled()).as("direct I/O for block size %d", direct.blockSize()).isTrue();
        return direct;
    }

    /** Writes {@code bytes} in pieces of {@code piece} bytes, as an upload arrives; whether any went directly. */
    private static boolean write(DirectIo direct, Path file, byte[] bytes, int piece) throws IOException {
        try (FileOutput output = direct.create(file, -1)) {
            for (int at = 0; at < bytes.length; at += piece) {
                output.write(ByteBuffer.wrap(bytes, at, Math.min(piece, bytes.length - at)));
            }
            output.finish(true);
            return output.wroteDirectly();
        }
    }

    @Test
    void files_of_every_length_around_blocks_and_chunks_are_written_exactly() throws IOException {
        DirectIo direct = directOnDisk();
        int chunk = DirectIo.CHUNK_BYTES;
        int[] lengths = {DirectIo.MIN_BYTES, DirectIo.MIN_BYTES + 1, chunk - 1, chunk, chunk + 1, 3 * chunk + 4097};
        for (int length : lengths) {
            byte[] bytes = bytes(length, length);
            Path file = dir.resolve("f" + length);

            assertThat(write(direct, file, bytes, 32 * 1024 - 7)).as("written directly: %d bytes", length).isTrue();

            assertThat(Files.size(file)).as("size of the %d-byte file (padding cut off)", length).isEqualTo(length);
            assertThat(file).as("content of the %d-byte file", length).hasBinaryContent(bytes);
        }
        assertThat(direct.enabled()).as("still on after writing").isTrue();
    }

    @Test
    void a_file_that_ends_small_is_written_the_usual_way_exactly() throws IOException {
        DirectIo direct = directOnDisk();
        for (int length : new int[] {0, 1, 4095, 4096, 4097, DirectIo.MIN_BYTES - 1}) {
            byte[] bytes = bytes(length, length);
            Path file = dir.resolve("s" + length);

            assertThat(write(direct, file, bytes, 1000)).as("written directly: %d bytes", length).isFalse();

            assertThat(file).as("content of the %d-byte file", length).hasBinaryContent(bytes);
        }
        assertThat(direct.enabled()).as("still on for larger files").isTrue();
    }

    @Test
    void a_piece_larger_than_a_chunk_is_split_across_chunks() throws IOException {
        DirectIo direct = directOnDisk();
        byte[] bytes = bytes(2 * DirectIo.CHUNK_BYTES + 12345, 7);
        Path file = dir.resolve("one-piece");

        write(direct, file, bytes, bytes.length);

        assertThat(file).hasBinaryContent(bytes);
    }

    @Test
    void a_file_known_to_be_small_is_written_the_usual_way() throws IOException {
        DirectIo direct = directOnDisk();
        Path file = dir.resolve("small");
        byte[] bytes = bytes(DirectIo.MIN_BYTES - 1, 1);

        try (FileOutput output = direct.create(file, bytes.length)) {
            assertThat(output.isDirect()).as("direct for a known %d bytes", bytes.length).isFalse();
            output.write(ByteBuffer.wrap(bytes));
            output.finish(true);
        }

        assertThat(file).hasBinaryContent(bytes);
    }

    @Test
    void a_first_write_the_file_system_refuses_carries_on_the_usual_way_and_turns_direct_io_off() throws IOException {
        directOnDisk();
        // Aligned to 512 bytes where the file system wants whole 4 KB blocks: the JDK refuses the write.
        assumeThat(Files.getFileStore(dir).getBlockSize()).as("block size of the temp folder").isGreaterThan(512);
        DirectIo direct = new DirectIo(512);
        Path file = dir.resolve("photo");
        byte[] bytes = bytes(2 * DirectIo.CHUNK_BYTES + 513, 2);

        write(direct, file, bytes, 40_000);

        assertThat(file).as("the same file the usual way").hasBinaryContent(bytes);
        assertThat(direct.enabled()).as("direct I/O after a refused write").isFalse();
        try (FileOutput next = direct.create(dir.resolve("next"), -1)) {
            assertThat(next.isDirect()).as("the next file written directly").isFalse();
        }
    }

    @Test
    void an_existing_file_is_an_error_not_a_fallback() throws IOException {
        DirectIo direct = directOnDisk();
        Path file = Files.write(dir.resolve("taken"), new byte[] {1});

        assertThatThrownBy(() -> direct.create(file, -1)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(file).as("the existing file").hasBinaryContent(new byte[] {1});
        assertThat(direct.enabled()).as("direct I/O still on").isTrue();
    }

    @Test
    void a_missing_folder_is_told_to_the_caller_and_leaves_direct_io_on() throws IOException {
        DirectIo direct = directOnDisk();

        assertThatThrownBy(() -> direct.create(dir.resolve("gone").resolve("photo"), -1))
                .isInstanceOf(NoSuchFileException.class);

        assertThat(direct.enabled()).as("still on: the folder, not the file system, was the problem").isTrue();
    }

    @Test
    void a_file_closed_unfinished_gives_its_buffer_back() throws IOException {
        DirectIo direct = directOnDisk();
        for (int i = 0; i < DirectIo.BUFFERS * 2; i++) {
            try (FileOutput output = direct.create(dir.resolve("abandoned" + i), -1)) {
                output.write(ByteBuffer.wrap(bytes(1000, i)));
            }
        }

        try (FileOutput output = direct.create(dir.resolve("after"), -1)) {
            assertThat(output.isDirect()).as("a buffer free after %d abandoned files", DirectIo.BUFFERS * 2).isTrue();
        }
    }

    @Test
    void a_finished_file_takes_no_more_bytes() throws IOException {
        DirectIo direct = directOnDisk();
        FileOutput output = direct.create(dir.resolve("done"), -1);
        output.finish(false);

        assertThatThrownBy(() -> output.write(ByteBuffer.wrap(new byte[1])))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("takes no more bytes");
    }

    @Test
    void files_written_while_every_buffer_is_lent_out_are_written_the_usual_way() throws Exception {
        DirectIo direct = directOnDisk();
        int writers = DirectIo.BUFFERS * 3;
        byte[] bytes = bytes(3 * DirectIo.CHUNK_BYTES, 5);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Path file = dir.resolve("w" + i);
                results.add(pool.submit(() -> {
                    start.await();
                    return write(direct, file, bytes, 64 * 1024);
                }));
            }
            start.countDown();
            int wentDirect = 0;
            for (int i = 0; i < writers; i++) {
                if (results.get(i).get()) {
                    wentDirect++;
                }
                assertThat(dir.resolve("w" + i)).as("file %d", i).hasBinaryContent(bytes);
            }
            assertThat(wentDirect).as("writers that got a buffer").isBetween(1, writers);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_file_is_read_back_exactly_into_an_aligned_buffer() throws IOException {
        DirectIo direct = directOnDisk();
        for (int length : new int[] {0, 1, 4096, 4097, DirectIo.CHUNK_BYTES + 3}) {
            byte[] bytes = bytes(length, length);
            Path file = Files.write(dir.resolve("r" + length), bytes);

            ByteBuffer read = direct.read(file, DirectIo.allocateAligned(2 * DirectIo.CHUNK_BYTES));

            assertThat(read).as("read directly: %d bytes", length).isNotNull();
            byte[] got = new byte[read.remaining()];
            read.get(got);
            assertThat(got).as("the %d bytes read", length).isEqualTo(bytes);
        }
    }

    @Test
    void a_buffer_direct_io_cannot_read_into_is_left_to_the_usual_read() throws IOException {
        DirectIo direct = directOnDisk();
        Path file = Files.write(dir.resolve("photo"), bytes(10_000, 9));
        ByteBuffer aligned = DirectIo.allocateAligned(64 * 1024);

        assertThat(direct.read(file, ByteBuffer.allocate(64 * 1024))).as("a heap buffer").isNull();
        assertThat(direct.read(file, aligned.slice(1, 32 * 1024))).as("a buffer off the alignment").isNull();
        assertThat(direct.read(file, aligned.slice(0, 8192))).as("a buffer smaller than the padded file").isNull();
        assertThat(direct.enabled()).as("still on").isTrue();
    }

    @Test
    void aligned_buffers_start_on_a_block_and_hold_what_was_asked() {
        for (int capacity : new int[] {1, 4096, DirectIo.CHUNK_BYTES + 1}) {
            ByteBuffer buffer = DirectIo.allocateAligned(capacity);

            assertThat(buffer.alignmentOffset(0, DirectIo.MAX_BLOCK)).as("offset from a block").isZero();
            assertThat(buffer.capacity()).as("capacity for %d", capacity).isGreaterThanOrEqualTo(capacity);
        }
    }
}
