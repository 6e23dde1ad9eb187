package io.thumbnail.internal.blob;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecentOriginalsTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);

    @Test
    void offered_bytes_are_taken_by_the_job_they_were_offered_for() {
        RecentOriginals originals = new RecentOriginals(100);
        byte[] bytes = new byte[10];

        originals.offer(A, bytes);

        assertThat(originals.take(A)).as("bytes taken").isSameAs(bytes);
        assertThat(originals.take(A)).as("a second take, with one offer").isNull();
        assertThat(originals.heldBytes()).as("bytes held once taken").isZero();
    }

    @Test
    void bytes_offered_for_two_jobs_stay_until_both_took_them() {
        RecentOriginals originals = new RecentOriginals(100);
        byte[] bytes = new byte[10];
        originals.offer(A, bytes);
        originals.offer(A, bytes);

        assertThat(originals.take(A)).as("first job's take").isSameAs(bytes);
        assertThat(originals.heldBytes()).as("held for the second job").isEqualTo(10);
        assertThat(originals.take(A)).as("second job's take").isSameAs(bytes);
        assertThat(originals.heldBytes()).as("held after both took them").isZero();
    }

    @Test
    void offered_copy_is_not_changed_by_the_callers_later_writes() {
        RecentOriginals originals = new RecentOriginals(100);
        byte[] callers = new byte[10];

        originals.offerCopy(A, callers);
        callers[0] = 42;

        byte[] taken = originals.take(A);
        assertThat(taken).as("bytes taken").isNotSameAs(callers);
        assertThat(taken[0]).as("first byte, changed by the caller after the offer").isZero();
    }

    @Test
    void copy_offered_while_the_same_bytes_wait_reuses_them_for_one_more_job() {
        RecentOriginals originals = new RecentOriginals(100);
        byte[] first = new byte[10];
        originals.offer(A, first);

        originals.offerCopy(A, new byte[10]);

        assertThat(originals.heldBytes()).as("bytes held for two jobs of the same image").isEqualTo(10);
        assertThat(originals.take(A)).as("first job's take").isSameAs(first);
        assertThat(originals.take(A)).as("second job's take: the bytes already held, no copy").isSameAs(first);
    }

    @Test
    void oldest_bytes_are_evicted_when_the_budget_would_be_exceeded() {
        RecentOriginals originals = new RecentOriginals(25);
        originals.offer(A, new byte[10]);
        originals.offer(B, new byte[10]);

        originals.offer(C, new byte[10]);

        assertThat(originals.take(A)).as("oldest, evicted").isNull();
        assertThat(originals.take(B)).as("newer, kept").isNotNull();
        assertThat(originals.take(C)).as("newest, kept").isNotNull();
    }

    @Test
    void bytes_larger_than_the_whole_budget_are_not_kept() {
        RecentOriginals originals = new RecentOriginals(25);
        originals.offer(A, new byte[10]);

        originals.offer(B, new byte[26]);

        assertThat(originals.take(B)).as("too large to keep").isNull();
        assertThat(originals.take(A)).as("not evicted for bytes that were not kept").isNotNull();
    }

    @Test
    void withdrawn_offer_releases_the_bytes() {
        RecentOriginals originals = new RecentOriginals(100);
        originals.offer(A, new byte[10]);

        originals.withdraw(A);

        assertThat(originals.heldBytes()).as("bytes held after the only offer was withdrawn").isZero();
        assertThat(originals.take(A)).as("take after withdraw").isNull();
    }

    @Test
    void negative_budget_is_refused_naming_it() {
        assertThatThrownBy(() -> new RecentOriginals(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("budgetBytes");
    }
}
