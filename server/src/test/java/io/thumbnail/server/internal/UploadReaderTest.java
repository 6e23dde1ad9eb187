package io.thumbnail.server.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UploadReaderTest {
    @Test
    void parts_kept_in_memory_are_bounded_by_8_mb_and_a_share_of_the_heap() {
        long heapShare = Runtime.getRuntime().maxMemory() / 32;

        assertThat(UploadReader.inMemoryPartBytes(50L << 20)).as("in-memory part bytes with a 50 MB upload limit")
                .isEqualTo((int) Math.min(8L << 20, heapShare));
    }

    @Test
    void parts_kept_in_memory_are_never_larger_than_the_upload_limit() {
        assertThat(UploadReader.inMemoryPartBytes(100 * 1024)).as("in-memory part bytes with a 100 KB upload limit")
                .isEqualTo(100 * 1024);
    }
}
