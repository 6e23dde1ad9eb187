package io.thumbnail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrencyTest {
    private static final int JOBS = 2_000;
    private static final int SUBMITTERS = 8;

    @TempDir
    Path dir;

    @Test
    void four_workers_and_eight_submitters_finish_2000_jobs_each_processed_once() throws Exception {
        List<byte[]> images = new ArrayList<>(JOBS);
        for (int i = 0; i < JOBS; i++) {
            images.add(TestImages.png(8, 8, i));
        }
        Map<UUID, AtomicInteger> starts = new ConcurrentHashMap<>();
        Set<UUID> finished = ConcurrentHashMap.newKeySet();
        CountDownLatch allFinished = new CountDownLatch(JOBS);
        List<Throwable> submitErrors = new ArrayList<>();

        try (ThumbnailService service = ThumbnailService.builder().dataDir(dir).workers(4).build()) {
            service.addListener(job -> {
                if (job.status() == JobStatus.PROCESSING) {
                    starts.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
                } else if (job.status().isFinished() && finished.add(job.id())) {
                    allFinished.countDown();
                }
            });
            ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < SUBMITTERS; t++) {
                int first = t;
                futures.add(submitters.submit(() -> {
                    for (int i = first; i < JOBS; i += SUBMITTERS) {
                        service.submit(ImageSource.of(images.get(i), i + ".png"), ThumbnailSpec.box(4, 4),
                                SubmitOptions.defaults());
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get(5, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException e) {
                    submitErrors.add(e.getCause());
                }
            }
            submitters.shutdown();
            assertThat(submitErrors).as("errors while submitting (SQLITE_BUSY would show here)").isEmpty();

            assertThat(allFinished.await(5, TimeUnit.MINUTES)).as("all jobs finished in time").isTrue();

            ServiceTestHooks.checkStatus(service);
            assertThat(service.stats().queued()).as("queued").isZero();
            Page<Job> done = service.list(JobQuery.all().withStatus(JobStatus.DONE).withLimit(JobQuery.MAX_LIMIT));
            int doneCount = done.items().size();
            while (done.next() != null) {
                done = service.list(JobQuery.all().withStatus(JobStatus.DONE).withLimit(JobQuery.MAX_LIMIT)
                        .withCursor(done.next()));
                doneCount += done.items().size();
            }
            assertThat(doneCount).as("done jobs").isEqualTo(JOBS);
            assertThat(starts).as("jobs started").hasSize(JOBS);
            assertThat(starts.values()).as("jobs started more than once").allMatch(n -> n.get() == 1);
        }
    }
}
