package io.thumbnail.internal.image;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.image.header.ImageHeader;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A whole-image decode that runs out of heap may have met other memory alive at that moment, not its own size: it is
 * tried once more holding the whole budget, and is {@code too_large} only when it fails alone or cannot fit the heap.
 */
class OutOfMemoryRetryTest {
    private static final long MB = 1 << 20;
    private static final ImageHeader PNG = new ImageHeader(ImageFormat.PNG, 7000, 7000, 1, 1);
    private static final String TOO_LARGE = "the png image (7000x7000) needs more memory to decode than this JVM has"
            + " for one image; a smaller image, or a larger heap (-Xmx), would do";

    /** Pixels whose decode is estimated at {@code mb} megabytes. */
    private static long pixelsOf(long mb) {
        return mb * MB / DecodeMemory.BYTES_PER_PIXEL;
    }

    /** A decode that runs out of heap its first {@code failures} times, noting the budget left on every try. */
    private static final class FailingDecode implements DecodeMemory.Decode<BufferedImage> {
        final DecodeMemory memory;
        final int failures;
        final List<Integer> availableKbOnEachTry = new ArrayList<>();

        FailingDecode(DecodeMemory memory, int failures) {
            this.memory = memory;
            this.failures = failures;
        }

        @Override
        public BufferedImage run() {
            availableKbOnEachTry.add(memory.availableKb());
            if (availableKbOnEachTry.size() <= failures) {
                throw new OutOfMemoryError("Java heap space");
            }
            return new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        }
    }

    @Test
    void a_decode_that_ran_out_of_heap_is_tried_again_holding_the_whole_budget_and_succeeds() {
        DecodeMemory memory = new DecodeMemory(10 * MB, 100 * MB);
        FailingDecode decode = new FailingDecode(memory, 1);

        BufferedImage image = memory.decode(PNG, pixelsOf(4), decode);

        assertThat(image).as("the second try's image").isNotNull();
        assertThat(decode.availableKbOnEachTry).as("KB of the budget left to others during each try")
                .containsExactly(6 * 1024, 0);
        assertThat(memory.availableKb()).as("KB left after").isEqualTo(10 * 1024);
    }

    @Test
    void a_decode_that_runs_out_of_heap_alone_as_well_is_too_large() {
        DecodeMemory memory = new DecodeMemory(10 * MB, 100 * MB);
        FailingDecode decode = new FailingDecode(memory, 2);

        ThumbnailException e = catchThrowableOfType(ThumbnailException.class,
                () -> memory.decode(PNG, pixelsOf(4), decode));

        assertThat(decode.availableKbOnEachTry).as("tries").hasSize(2);
        assertThat(e.code()).as("code").isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(e.getMessage()).as("message").isEqualTo(TOO_LARGE);
        assertThat(memory.availableKb()).as("KB left after").isEqualTo(10 * 1024);
    }

    @Test
    void a_decode_estimated_at_more_than_the_heap_is_too_large_without_a_second_try() {
        DecodeMemory memory = new DecodeMemory(10 * MB, 100 * MB);
        FailingDecode decode = new FailingDecode(memory, 1);

        ThumbnailException e = catchThrowableOfType(ThumbnailException.class,
                () -> memory.decode(PNG, pixelsOf(101), decode));

        assertThat(decode.availableKbOnEachTry).as("tries").hasSize(1);
        assertThat(e.getMessage()).as("message").isEqualTo(TOO_LARGE);
    }

    @Test
    void a_decode_that_held_the_whole_budget_already_failed_alone_and_is_too_large_without_a_second_try() {
        DecodeMemory memory = new DecodeMemory(10 * MB, 100 * MB);
        FailingDecode decode = new FailingDecode(memory, 1);

        ThumbnailException e = catchThrowableOfType(ThumbnailException.class,
                () -> memory.decode(PNG, pixelsOf(40), decode));

        assertThat(decode.availableKbOnEachTry).as("KB left to others during each try").containsExactly(0);
        assertThat(e.code()).as("code").isEqualTo(ErrorCode.TOO_LARGE);
    }
}
