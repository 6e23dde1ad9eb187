package io.thumbnail.bench;

import io.thumbnail.testing.BenchInternals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * C client threads, each in a loop: upload a photo (tagged so it is a new file, and a variant of it so its thumbnail is
 * new too: {@link ThumbnailVariants}), long-poll its job until it is done or failed (unless the upload itself waited
 * for that), record the time from submit to done. Bounded by a duration and by a number of jobs; a client stops
 * starting jobs at the deadline and finishes the one it has.
 */
final class LoadRun {
    /**
     * A photo to upload: its file name, its bytes after the start-of-image marker (which {@link UniqueJpeg#prefix}
     * replaces) in a direct buffer, so that uploads send them without a copy, and where among those its luma DC
     * quantiser is ({@code dcAt}, -1 if nowhere) with its value.
     */
    record Photo(String name, ByteBuffer afterStart, int dcAt, int dc) {
        static Photo of(String name, byte[] jpeg) {
            if (!UniqueJpeg.isJpeg(jpeg)) {
                throw new IllegalArgumentException(name + " is not a JPEG (no start-of-image marker)");
            }
            ByteBuffer direct = ByteBuffer.allocateDirect(jpeg.length - 2).put(jpeg, 2, jpeg.length - 2).flip();
            int at = UniqueJpeg.lumaDcQuantiserAt(jpeg);
            return new Photo(name, direct.asReadOnlyBuffer(), at < 0 ? -1 : at - 2, at < 0 ? 0 : jpeg[at] & 0xff);
        }

        /** The bytes after the start-of-image marker of the photo's k-th variant ({@link ThumbnailVariants}). */
        List<ByteBuffer> variant(ThumbnailVariants variants, long k) {
            if (dcAt < 0) {
                return List.of(afterStart);
            }
            byte[] quantiser = {(byte) variants.dcQuantiser(dc, k)};
            return List.of(afterStart.slice(0, dcAt), ByteBuffer.wrap(quantiser),
                    afterStart.slice(dcAt + 1, afterStart.limit() - dcAt - 1));
        }
    }

    /** What one run measured; {@code seconds} runs from the first upload to the last job finished. */
    record Outcome(long done, long failed, double seconds, Latencies latencies, HttpTally uploads, HttpTally polls) {
        double perSecond() {
            return done / seconds;
        }
    }

    private static final Duration FINISH_GRACE = Duration.ofMinutes(2);

    private final ThumbnailApi api;
    private final ThumbnailVariants variants;
    private final List<Photo> photos;
    private final int clients;
    private final int nice;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong turn = new AtomicLong();
    private final AtomicReference<String> lastDone = new AtomicReference<>();

    /**
     * {@code variants}: what each use of a photo asks; {@code nice} above 0: each client thread lowers its own priority
     * to it (Linux) before it starts.
     */
    LoadRun(ThumbnailApi api, ThumbnailVariants variants, List<Photo> photos, int clients, int nice) {
        this.api = api;
        this.variants = variants;
        this.photos = List.copyOf(photos);
        this.clients = clients;
        this.nice = nice;
    }

    /** The id of a job that finished done in this or an earlier run, for the status probe; null before any. */
    String knownDoneJob() {
        return lastDone.get();
    }

    Outcome run(Duration duration, long maxJobs) throws InterruptedException {
        Latencies latencies = new Latencies(1_000_000);
        HttpTally uploads = new HttpTally();
        HttpTally polls = new HttpTally();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong budget = new AtomicLong(maxJobs);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                if (nice > 0) {
                    BenchInternals.lowerCurrentThread(nice);
                }
                while (System.nanoTime() < end && budget.getAndDecrement() > 0) {
                    // The next photo of one sequence for all clients, so the jobs are the photos in equal shares
                    // (as in the bare pipeline's run): a fixed share per client would let the clients with light
                    // photos submit more.
                    long next = turn.getAndIncrement();
                    Photo photo = photos.get((int) (next % photos.size()));
                    try {
                        long t0 = System.nanoTime();
                        ThumbnailApi.Answer answer = oneJob(photo, next / photos.size(), end, uploads, polls);
                        if (answer != null && answer.finished()) {
                            latencies.record(System.nanoTime() - t0);
                            ("done".equals(answer.jobStatus()) ? done : failed).incrementAndGet();
                        }
                    } catch (IOException e) {
                        uploads.error();
                        pause(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "load-client-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(done.get(), failed.get(), seconds, latencies, uploads, polls);
    }

    /** Uploads and waits for the job; null when the upload was refused (a 429 waits out its Retry-After). */
    private ThumbnailApi.Answer oneJob(Photo photo, long use, long end, HttpTally uploads, HttpTally polls)
            throws IOException, InterruptedException {
        ThumbnailApi.Answer answer = api.upload(UniqueJpeg.prefix("load-" + sequence.incrementAndGet()),
                photo.variant(variants, use), photo.name(), variants.side(use), variants.quality(use));
        uploads.count(answer.httpStatus());
        if (answer.httpStatus() == 429) {
            pause(Math.min(answer.retryAfterSeconds() * 1000, Math.max(0, (end - System.nanoTime()) / 1_000_000)));
            return null;
        }
        if (answer.httpStatus() / 100 != 2 || answer.jobId() == null) {
            return null;
        }
        long giveUp = Math.max(end, System.nanoTime()) + FINISH_GRACE.toNanos();
        while (!answer.finished() && System.nanoTime() < giveUp) {
            String id = answer.jobId();
            answer = api.job(id, 30);
            polls.count(answer.httpStatus());
            if (answer.httpStatus() / 100 != 2) {
                return null;
            }
        }
        if ("done".equals(answer.jobStatus())) {
            lastDone.set(answer.jobId());
        }
        return answer;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
