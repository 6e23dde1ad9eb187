package io.thumbnail.internal.worker;

import io.thumbnail.Job;
import io.thumbnail.JobStatus;
import io.thumbnail.ThumbnailSpec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class JobDeadlinesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Job job() {
        return Job.builder().id(UUID.randomUUID()).status(JobStatus.PROCESSING).spec(ThumbnailSpec.box(10, 10))
                .attempts(1).createdAt(T0).startedAt(T0).build();
    }

    @Test
    void only_jobs_at_or_past_their_deadline_expire() {
        JobDeadlines deadlines = new JobDeadlines();
        Job job = job();
        deadlines.started(List.of(job), T0.plusSeconds(10));
        List<Thread> abandoned = new ArrayList<>();

        assertThat(deadlines.expire(T0.plusMillis(9_999), abandoned::add)).as("before the deadline").isEmpty();
        List<JobDeadlines.Overrun> overruns = deadlines.expire(T0.plusSeconds(10), abandoned::add);

        assertThat(overruns).as("at the deadline").extracting(JobDeadlines.Overrun::jobs).containsExactly(List.of(job));
        assertThat(abandoned).as("threads abandoned").containsExactly(Thread.currentThread());
        assertThat(Thread.interrupted()).as("expired thread interrupted (flag cleared here)").isTrue();
        assertThat(deadlines.finished()).as("finished() of a thread whose job expired").isFalse();
    }

    @Test
    void a_thread_waiting_for_decode_memory_is_not_expired_and_its_deadline_moves_on_by_the_wait() {
        JobDeadlines deadlines = new JobDeadlines();
        Job job = job();
        deadlines.started(List.of(job), T0.plusSeconds(10));
        List<Thread> abandoned = new ArrayList<>();

        deadlines.waiting(T0.plusSeconds(2));
        assertThat(deadlines.expire(T0.plusSeconds(30), abandoned::add)).as("28 s into its wait").isEmpty();
        deadlines.resumed(T0.plusSeconds(32));

        assertThat(deadlines.expire(T0.plusMillis(39_999), abandoned::add))
                .as("before the deadline moved on by the 30 s wait").isEmpty();
        assertThat(deadlines.expire(T0.plusSeconds(40), abandoned::add)).as("at the moved deadline")
                .extracting(JobDeadlines.Overrun::jobs).containsExactly(List.of(job));
        assertThat(Thread.interrupted()).as("expired thread interrupted (flag cleared here)").isTrue();
    }

    @Test
    void job_finished_in_time_is_not_expired_later() {
        JobDeadlines deadlines = new JobDeadlines();
        deadlines.started(List.of(job()), T0.plusSeconds(10));

        assertThat(deadlines.finished()).as("finished() in time").isTrue();
        assertThat(deadlines.expire(T0.plusSeconds(60), t -> { })).as("expired after finishing").isEmpty();
    }

    @Test
    void a_thread_whose_thumbnails_are_made_is_not_expired_while_it_hands_them_on() {
        JobDeadlines deadlines = new JobDeadlines();
        deadlines.started(List.of(job()), T0.plusSeconds(10));
        deadlines.made();
        List<Thread> abandoned = new ArrayList<>();

        assertThat(deadlines.expire(T0.plusSeconds(600), abandoned::add)).as("expired after made()").isEmpty();
        assertThat(abandoned).as("threads abandoned").isEmpty();
        assertThat(Thread.interrupted()).as("thread interrupted").isFalse();
        assertThat(deadlines.finished()).as("finished() after made()").isTrue();
    }

    @Test
    void made_by_a_thread_leaves_other_threads_deadlines_alone() throws InterruptedException {
        JobDeadlines deadlines = new JobDeadlines();
        Thread other = new Thread(() -> deadlines.started(List.of(job()), T0.plusSeconds(10)), "other-worker");
        other.start();
        other.join();
        deadlines.made();

        assertThat(deadlines.expire(T0.plusSeconds(10), t -> { })).as("the other thread's overrun")
                .extracting(JobDeadlines.Overrun::thread).containsExactly(other);
    }

    @Test
    void a_thread_is_taken_off_its_jobs_once_every_one_of_them_is_deleted() {
        JobDeadlines deadlines = new JobDeadlines();
        Job first = job();
        Job second = job();
        deadlines.started(List.of(first, second), T0.plusSeconds(10));
        List<Thread> abandoned = new ArrayList<>();

        assertThat(deadlines.deleted(first.id(), abandoned::add)).as("a rendition left to make").isEmpty();
        assertThat(deadlines.deleted(UUID.randomUUID(), abandoned::add)).as("a job no thread runs").isEmpty();
        assertThat(deadlines.deleted(second.id(), abandoned::add)).as("both deleted")
                .hasValueSatisfying(o -> assertThat(o.jobs()).containsExactly(first, second));

        assertThat(abandoned).containsExactly(Thread.currentThread());
        assertThat(Thread.interrupted()).as("thread interrupted (flag cleared here)").isTrue();
        assertThat(deadlines.finished()).as("finished() of a thread taken off its jobs").isFalse();
    }

    @Test
    void a_thread_handing_on_made_thumbnails_is_left_to_finish_when_its_job_is_deleted() {
        JobDeadlines deadlines = new JobDeadlines();
        Job job = job();
        deadlines.started(List.of(job), T0.plusSeconds(10));
        deadlines.made();

        assertThat(deadlines.deleted(job.id(), t -> { })).isEmpty();
        assertThat(Thread.interrupted()).isFalse();
        assertThat(deadlines.finished()).isTrue();
    }
}
