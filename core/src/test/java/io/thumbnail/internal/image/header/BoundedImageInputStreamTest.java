package io.thumbnail.internal.image.header;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedImageInputStreamTest {
    private static final byte[] DATA = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void replaced_bytes_read_as_the_replacement_in_block_reads_of_any_alignment() throws IOException {
        for (int chunk = 1; chunk <= DATA.length; chunk++) {
            try (BoundedImageInputStream in = BoundedImageInputStream.withBytesReplaced(DATA, new int[] {3, 7}, (byte) 99)) {
                byte[] read = new byte[DATA.length];
                for (int off = 0; off < DATA.length; ) {
                    off += in.read(read, off, Math.min(chunk, DATA.length - off));
                }

                assertThat(read).as("read in chunks of %d", chunk).containsExactly(0, 1, 2, 99, 4, 5, 6, 99, 8, 9);
            }
        }
    }

    @Test
    void replaced_bytes_read_as_the_replacement_one_at_a_time_and_after_a_seek() throws IOException {
        try (BoundedImageInputStream in = BoundedImageInputStream.withBytesReplaced(DATA, new int[] {3}, (byte) 99)) {
            assertThat(new int[] {in.read(), in.read(), in.read(), in.read(), in.read()})
                    .containsExactly(0, 1, 2, 99, 4);
            in.seek(3);
            assertThat(in.read()).as("byte 3 again, after seeking back").isEqualTo(99);
        }
    }

    @Test
    void the_callers_array_is_left_as_it_was() throws IOException {
        byte[] data = DATA.clone();
        try (BoundedImageInputStream in = BoundedImageInputStream.withBytesReplaced(data, new int[] {3}, (byte) 99)) {
            in.readFully(new byte[data.length]);
        }

        assertThat(data).isEqualTo(DATA);
    }
}
