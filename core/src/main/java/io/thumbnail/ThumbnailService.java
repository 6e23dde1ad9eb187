package io.thumbnail;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The durable job system: hand over an image, get a job id at once; a fixed pool of workers makes the thumbnail;
 * SQLite in the data directory remembers everything, so a crash loses no accepted job.
 *
 * <pre>{@code
 * try (ThumbnailService service = ThumbnailService.builder().dataDir(Path.of("data")).workers(4).build()) {
 *     Job job = service.submit(ImageSource.of(bytes, "cat.jpg"), ThumbnailSpec.box(100, 100));
 *     Job done = service.await(job.id(), Duration.ofSeconds(10));
 *     byte[] thumbnail = service.thumbnailBytes(done.id());
 * }
 * }</pre>
 */
public final class ThumbnailService implements AutoCloseable {

    private ThumbnailService(Builder builder) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Accepts one image. Returns once the job row and the original bytes are durable on disk.
     * Refuses at once, with a {@link ThumbnailException}, input over the byte limit ({@code too_large}),
     * bytes that are not a supported image ({@code unsupported_format}), a full queue ({@code queue_full}).
     */
    public Job submit(ImageSource source, ThumbnailSpec spec) {
        return submit(source, spec, null);
    }

    /** As {@link #submit(ImageSource, ThumbnailSpec)}, recording an owner (for example an API key's name). */
    public Job submit(ImageSource source, ThumbnailSpec spec, String owner) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Accepts several images as one batch. One bad item becomes a failed job; it does not fail the batch. */
    public Batch submitAll(List<ImageSource> sources, ThumbnailSpec spec, String owner) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public Optional<Job> get(UUID id) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Jobs newest first, one page at a time. */
    public Page<Job> list(JobQuery query) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Deletes a job and every file no other job references; returns the job as it was, or empty if unknown. */
    public Optional<Job> delete(UUID id) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Waits until the job is done or failed, or the timeout passes, without polling. Returns the job's state at that
     * moment (still queued or processing on timeout). Throws {@code not_found} if the id is unknown.
     */
    public Job await(UUID id, Duration timeout) throws InterruptedException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The thumbnail's bytes; {@code not_found} if unknown, {@code not_ready} if not done, the job's error if failed. */
    public byte[] thumbnailBytes(UUID id) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The thumbnail's file in the content-addressed store (for streaming); same errors as {@link #thumbnailBytes}. */
    public Path thumbnailFile(UUID id) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public Optional<Batch> batch(UUID id) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Registers a listener for every job state change; closing the returned handle removes it. */
    public AutoCloseable addListener(JobListener listener) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public ServiceStats stats() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The pipeline this service uses (also usable directly, for example by a CLI). */
    public Thumbnailer thumbnailer() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Stops claiming, lets running jobs finish within the shutdown timeout, leaves the rest queued. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Options with defaults that just work; each is validated when set. */
    public static final class Builder {
        Path dataDir = Path.of("data");
        int workers = Runtime.getRuntime().availableProcessors();
        Limits limits = Limits.defaults();
        int queueCapacity = 10_000;
        int maxAttempts = 3;
        Duration retryBackoff = Duration.ofSeconds(1);
        Duration lease = Duration.ofSeconds(30);
        Duration heartbeat = Duration.ofSeconds(10);
        Duration ttl;
        Duration janitorInterval = Duration.ofMinutes(1);
        Duration shutdownTimeout = Duration.ofSeconds(20);
        Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder dataDir(Path value) { this.dataDir = value; return this; }
        public Builder workers(int value) { this.workers = value; return this; }
        public Builder limits(Limits value) { this.limits = value; return this; }
        public Builder queueCapacity(int value) { this.queueCapacity = value; return this; }
        public Builder maxAttempts(int value) { this.maxAttempts = value; return this; }
        public Builder retryBackoff(Duration value) { this.retryBackoff = value; return this; }
        public Builder lease(Duration value) { this.lease = value; return this; }
        public Builder heartbeat(Duration value) { this.heartbeat = value; return this; }
        /** Jobs older than this are deleted by the janitor; null (the default) keeps them forever. */
        public Builder ttl(Duration value) { this.ttl = value; return this; }
        public Builder janitorInterval(Duration value) { this.janitorInterval = value; return this; }
        public Builder shutdownTimeout(Duration value) { this.shutdownTimeout = value; return this; }
        public Builder clock(Clock value) { this.clock = value; return this; }

        /** Opens (or creates and migrates) the store in {@code dataDir} and starts the workers. */
        public ThumbnailService build() {
            return new ThumbnailService(this);
        }
    }
}
