package io.thumbnail.internal.blob;

import io.thumbnail.internal.health.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IncomingFileTest {
    private static final IncomingFile.Destination NOWHERE = new IncomingFile.Destination() {
        @Override
        public boolean store(Path file, String sha256) {
            throw new AssertionError("not stored in these tests");
        }

        @Override
        public StoreException failed(String message, IOException e) {
            throw new AssertionError(message, e);
        }
    };

    @TempDir
    Path dir;

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    /** {@code bytes} received in pieces of 10,000 bytes, as an upload arrives, and finished. */
    private IncomingFile received(byte[] bytes) {
        IncomingFile incoming = IncomingFile.create(dir, NOWHERE, false);
        for (int at = 0; at < bytes.length; at += 10_000) {
            incoming.write(ByteBuffer.wrap(bytes, at, Math.min(10_000, bytes.length - at)));
        }
        incoming.finish();
        return incoming;
    }

    private Path receivedFile() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findFirst().orElseThrow();
        }
    }

    private static byte[] readAt(SeekableByteChannel channel, long position, int length) throws IOException {
        ByteBuffer into = ByteBuffer.allocate(length);
        channel.position(position);
        while (into.hasRemaining() && channel.read(into) >= 0) {
            // a read may return fewer bytes than asked
        }
        return Arrays.copyOf(into.array(), into.position());
    }

    @Test
    void the_first_bytes_are_read_back_from_memory_without_the_file() throws IOException {
        byte[] bytes = bytes(3 * IncomingFile.HEAD_BYTES);
        try (IncomingFile incoming = received(bytes)) {
            Files.delete(receivedFile());

            try (SeekableByteChannel read = incoming.read()) {
                assertThat(readAt(read, 0, 256)).as("the first 256 bytes").isEqualTo(Arrays.copyOf(bytes, 256));
                assertThat(readAt(read, 1000, IncomingFile.HEAD_BYTES - 1000)).as("the rest of the head")
                        .isEqualTo(Arrays.copyOfRange(bytes, 1000, IncomingFile.HEAD_BYTES));
                assertThat(read.size()).as("size").isEqualTo(bytes.length);
                assertThatThrownBy(() -> readAt(read, IncomingFile.HEAD_BYTES, 1)).as("a read past the head")
                        .isInstanceOf(NoSuchFileException.class);
            }
        }
    }

    @Test
    void reads_across_the_end_of_the_head_and_past_it_return_the_bytes_received() throws IOException {
        byte[] bytes = bytes(5 * IncomingFile.HEAD_BYTES + 123);
        try (IncomingFile incoming = received(bytes); SeekableByteChannel read = incoming.read()) {
            int[][] reads = {{IncomingFile.HEAD_BYTES - 10, 20}, {IncomingFile.HEAD_BYTES, 5000},
                    {200_000, 60_000}, {0, bytes.length}, {bytes.length - 7, 7}};
            for (int[] r : reads) {
                assertThat(readAt(read, r[0], r[1])).as("%d bytes at %d", r[1], r[0])
                        .isEqualTo(Arrays.copyOfRange(bytes, r[0], r[0] + r[1]));
            }
            read.position(bytes.length);
            assertThat(read.read(ByteBuffer.allocate(1))).as("a read at the end").isEqualTo(-1);
        }
    }

    @Test
    void an_upload_smaller_than_the_head_is_read_whole_from_memory() throws IOException {
        byte[] bytes = bytes(5000);
        try (IncomingFile incoming = received(bytes)) {
            Files.delete(receivedFile());

            try (SeekableByteChannel read = incoming.read()) {
                assertThat(readAt(read, 0, 6000)).as("all of it, asked for more").isEqualTo(bytes);
            }
        }
    }

    @Test
    void an_upload_is_read_only_once_it_is_finished() {
        try (IncomingFile incoming = IncomingFile.create(dir, NOWHERE, false)) {
            incoming.write(ByteBuffer.wrap(bytes(100)));

            assertThatThrownBy(incoming::read).as("a read while receiving").isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("finish it before reading");
        }
    }
}
