package io.thumbnail.internal.image.jpeg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScratchBytesTest {
    @Test
    void an_array_given_back_is_taken_again_for_a_size_it_fits() {
        ScratchBytes scratch = new ScratchBytes(2, 1 << 20);
        byte[] first = scratch.take(100_000);

        scratch.give(first);

        assertThat(scratch.take(50_000)).as("a smaller request reuses the kept array").isSameAs(first);
    }

    @Test
    void the_smallest_kept_array_that_fits_is_taken_so_the_larger_stays_for_a_larger_file() {
        ScratchBytes scratch = new ScratchBytes(2, 4 << 20);
        byte[] large = scratch.take(3 << 20);
        byte[] small = scratch.take(1 << 20);
        scratch.give(large);
        scratch.give(small);

        assertThat(scratch.take(500_000)).as("a small file's request").isSameAs(small);
        assertThat(scratch.take(2 << 20)).as("then a large file's").isSameAs(large);
    }

    @Test
    void new_arrays_are_rounded_up_to_the_grain_so_similar_sizes_share_them() {
        ScratchBytes scratch = new ScratchBytes(1, 1 << 20);

        byte[] array = scratch.take(1000);

        assertThat(array).hasSize(ScratchBytes.GRAIN);
    }

    @Test
    void an_array_is_never_handed_to_two_takers_at_once() {
        ScratchBytes scratch = new ScratchBytes(2, 1 << 20);
        scratch.give(new byte[1000]);

        byte[] a = scratch.take(1000);
        byte[] b = scratch.take(1000);

        assertThat(b).as("the second taker gets an array of its own").isNotSameAs(a);
    }

    @Test
    void arrays_over_the_bound_are_neither_rounded_up_nor_kept() {
        ScratchBytes scratch = new ScratchBytes(2, 1000);
        byte[] large = scratch.take(1001);

        scratch.give(large);

        assertThat(large).as("no rounding past the bound").hasSize(1001);
        assertThat(scratch.kept()).as("arrays kept after giving back one over the bound").isZero();
    }

    @Test
    void at_most_one_array_a_slot_is_kept_and_a_larger_one_replaces_a_smaller() {
        ScratchBytes scratch = new ScratchBytes(1, 1 << 20);
        byte[] small = new byte[10];
        byte[] larger = new byte[20];

        scratch.give(small);
        scratch.give(larger);
        scratch.give(new byte[5]);

        assertThat(scratch.kept()).isEqualTo(1);
        assertThat(scratch.take(1)).as("the one kept").isSameAs(larger);
    }

    @Test
    void bounds_must_make_sense() {
        assertThatThrownBy(() -> new ScratchBytes(0, 10)).hasMessageContaining("slots must be at least 1");
    }
}
