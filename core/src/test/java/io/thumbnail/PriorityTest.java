package io.thumbnail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The queue serves high before normal before low, and a low job that waited the aging time as a normal one. */
class PriorityTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(16, 16);
    private static final Duration AGING = Duration.ofMinutes(5);

    @TempDir
    Path dir;
    private ThumbnailService service;
    private int seed;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    private Job submit(Priority priority) {
        seed++;
        return service.submit(ImageSource.of(TestImages.png(24, 16, seed), "p" + seed + ".png"), SPEC,
                SubmitOptions.builder().priority(priority).build());
    }

    @Test
    void a_high_job_submitted_after_forty_low_ones_finishes_before_them() throws Exception {
        ScriptedPipeline pipeline = new ScriptedPipeline().holdFirstCall();
        service = ThumbnailService.builder().dataDir(dir).workers(1).hooks(h -> h.withPipeline(pipeline)).build();
        List<UUID> finished = new CopyOnWriteArrayList<>();
        service.addListener(job -> {
            if (job.status() == JobStatus.DONE) {
                finished.add(job.id());
            }
        });
        List<Job> lows = new ArrayList<>();
        lows.add(submit(Priority.LOW));
        // The one worker holds the first low job while the rest of the queue fills up behind it.
        pipeline.firstCallStarted.await();
        for (int i = 1; i < 40; i++) {
            lows.add(submit(Priority.LOW));
        }
        Job high = submit(Priority.HIGH);
        pipeline.releaseFirstCall();

        assertThat(service.await(high.id(), Duration.ofSeconds(30)).status()).as("the high job")
                .isEqualTo(JobStatus.DONE);
        for (Job low : lows) {
            service.await(low.id(), Duration.ofSeconds(30));
        }
        long lowsAfterHigh = lows.stream().map(Job::id)
                .filter(id -> finished.indexOf(id) > finished.indexOf(high.id())).count();
        assertThat(lowsAfterHigh).as("low jobs finished after the high one (order %s)", finished)
                .isGreaterThanOrEqualTo(35);
        assertThat(service.get(high.id())).map(Job::priority).as("the high job's priority").contains(Priority.HIGH);
    }

    @Test
    void a_low_job_is_served_within_its_aging_time_under_a_steady_stream_of_normal_jobs() {
        MutableClock clock = MutableClock.startingNow();
        service = ThumbnailService.builder().dataDir(dir).clock(clock).hooks(h -> h.withStartWorkers(false))
                .priorityAging(AGING)
                .build();
        Job low = submit(Priority.LOW);
        submit(Priority.NORMAL);
        Duration step = Duration.ofSeconds(30);
        Duration waited = Duration.ZERO;
        // Each step a new normal job arrives and one job is served: the normal ones alone would keep a worker busy.
        while (service.get(low.id()).orElseThrow().status() == JobStatus.QUEUED
                && waited.compareTo(AGING.multipliedBy(2)) <= 0) {
            submit(Priority.NORMAL);
            clock.advance(step);
            waited = waited.plus(step);
            service.assembly().byHand().processNext();
        }

        assertThat(service.get(low.id())).map(Job::status).as("the low job after %s of normal jobs", waited)
                .contains(JobStatus.DONE);
        assertThat(waited).as("how long the low job waited").isGreaterThanOrEqualTo(AGING)
                .isLessThanOrEqualTo(AGING.plus(step));
    }

    @Test
    void jobs_are_normal_unless_asked_otherwise() {
        service = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false)).build();

        Job job = service.submit(ImageSource.of(TestImages.png(8, 8, 1), "a.png"), SPEC, SubmitOptions.defaults());

        assertThat(job.priority()).isEqualTo(Priority.NORMAL);
    }

    @Test
    void a_priority_is_parsed_from_its_name_in_any_case() {
        assertThat(Priority.parse(" High ")).isEqualTo(Priority.HIGH);
    }

    @Test
    void an_unknown_priority_is_refused_naming_the_allowed_ones() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Priority.parse("urgent"))
                .isInstanceOf(ThumbnailException.class)
                .hasMessage("priority must be one of high, normal, low (was 'urgent')");
    }
}
