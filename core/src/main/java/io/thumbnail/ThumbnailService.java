package io.thumbnail;

import io.thumbnail.internal.assembly.ServiceAssembly;
import io.thumbnail.internal.assembly.ServiceGate;
import io.thumbnail.internal.assembly.ServiceSettings;
import io.thumbnail.internal.jobs.ImageInput;
import io.thumbnail.internal.jobs.JobLookup;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The durable job system: hand over an image, get a job id at once; a fixed pool of workers makes the thumbnail, and
 * the job store remembers everything: a job accepted by {@link #submit} survives a crash and a loss of power, its
 * original and its row on disk before submit returns. Where jobs and images are kept (a data directory one service at
 * a time may use, or a PostgreSQL database and a bucket that several nodes share), the limits and every other option:
 * {@link ThumbnailServiceBuilder}.
 *
 * <pre>{@code
 * try (ThumbnailService service = ThumbnailService.builder().dataDir(Path.of("data")).workers(4).build()) {
 *     Job job = service.submit(ImageSource.of(bytes, "cat.jpg"), ThumbnailSpec.box(100, 100),
 *             SubmitOptions.defaults());
 *     Job done = service.await(job.id(), Duration.ofSeconds(10));
 *     byte[] thumbnail = service.thumbnailBytes(done.id());
 * }
 * }</pre>
 *
 * <p>An {@link ImageSource#url(java.net.URI) URL source} is fetched by a worker under an SSRF guard, on by default,
 * then stored, checked and deduplicated like an upload. Publishing ({@link SubmitOptions#publishTo}) and webhooks
 * ({@link SubmitOptions#callbackUrl}) run on threads of their own once a job is finished, never on a worker, resume
 * after a restart, and are recorded on {@link Job#publication()} and {@link Job#callback()}. A job running longer than
 * {@link ThumbnailServiceBuilder#jobTimeout} fails with {@code timeout} and its worker is replaced, so a hung decode
 * never holds a worker or a lease for long. Every call after {@link #close()}, or one cut short by it, fails with
 * {@code unavailable}.
 */
public final class ThumbnailService implements AutoCloseable {
    private final ServiceAssembly parts;
    private final Thumbnailer thumbnailer;
    private final ServiceGate gate = new ServiceGate();

    ThumbnailService(ServiceSettings settings) {
        this.parts = ServiceAssembly.open(settings);
        this.thumbnailer = Thumbnailer.create(settings.limits());
    }

    public static ThumbnailServiceBuilder builder() {
        return new ThumbnailServiceBuilder();
    }

    /**
     * Accepts one image. Returns once the job row and the original bytes are durable on disk (forced to it: they
     * survive a loss of power). Refuses at once, with a {@link ThumbnailException}, input over the byte limit
     * ({@code too_large}), bytes that are not a supported image ({@code unsupported_format}), a full queue or an owner
     * past its share of it ({@code queue_full}, see {@link ThumbnailServiceBuilder#maxQueuedPerOwner}), and a publish
     * target the service does not know ({@code invalid_request}). An image whose bytes and spec match a done job of the
     * same owner is returned done, without decoding again; another owner's jobs are never matched, so the answer tells
     * no owner what another has sent. Once the thumbnail is made it is published where {@code options} ask, the link
     * recorded on the job's {@link Job#publication()}; a failed publish is recorded there too, and never fails the
     * job. Renditions are refused here ({@code invalid_request}): they make several jobs, so they go to
     * {@link #submitAll}.
     */
    public Job submit(ImageSource source, ThumbnailSpec spec, SubmitOptions options) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        return gate.call(() -> parts.intake().submit(source.input(), spec, options));
    }

    /**
     * Accepts several images as one batch, each as {@link #submit} does. One bad item becomes a failed job; it does
     * not fail the batch. The whole batch is refused with {@code queue_full} if its items do not fit in the queue, or
     * in the owner's share of it.
     *
     * <p>With {@link SubmitOptions#renditions() renditions} (and {@code spec} null) each image becomes one job per
     * rendition, in their order: the image is checked and stored once, and a worker that takes one of these jobs makes
     * the others waiting with it from the same decode (a JPEG reduced once, at the scale the largest needs). Each job
     * still has its own result, retries and failure.
     */
    public Batch submitAll(List<ImageSource> sources, ThumbnailSpec spec, SubmitOptions options) {
        List<ImageInput> inputs = ImageSource.inputs(sources);
        Objects.requireNonNull(options, "options");
        return gate.call(() -> parts.intake().submitAll(inputs, spec, options));
    }

    /**
     * A new, empty upload in the data directory, to receive an image's bytes as they arrive and then be submitted
     * (see {@link ImageUpload}); its size is bounded by the input limit.
     */
    public ImageUpload newUpload() {
        return gate.call(() -> new ImageUpload(parts.blobs().receive(), thumbnailer.limits().maxInputBytes()));
    }

    /** As {@link #get(UUID, String)}, whoever owns the job. */
    public Optional<Job> get(UUID id) {
        return get(id, null);
    }

    /**
     * The job, if it exists and is {@code owner}'s (null: whoever owns it); another owner's job is simply not found.
     * Every lookup below takes the owner the same way.
     */
    public Optional<Job> get(UUID id, String owner) {
        return gate.call(() -> parts.lookup().find(id(id), owner));
    }

    /** Jobs newest first, one page at a time ({@link JobQuery#withOwner} for one owner's). */
    public Page<Job> list(JobQuery query) {
        return gate.call(() -> parts.lookup().list(query));
    }

    /** As {@link #delete(UUID, String)}, whoever owns the job. */
    public Optional<Job> delete(UUID id) {
        return delete(id, null);
    }

    /** Deletes a job and every file no other job references; returns the job as it was, or empty if unknown. */
    public Optional<Job> delete(UUID id, String owner) {
        return gate.call(() -> parts.lookup().delete(id(id), owner));
    }

    /**
     * Waits until the job is done or failed, or the timeout passes, without polling. Returns the job's state at that
     * moment (still queued or processing on timeout). Throws {@code not_found} if the id is unknown (or the job is
     * deleted while waited for), and {@code unavailable} if the service closes meanwhile: {@link #close()} ends every
     * wait at once. A timeout past {@link ServiceDefaults#MAX_DURATION} waits that long.
     */
    public Job await(UUID id, Duration timeout) throws InterruptedException {
        return gate.call(() -> parts.waits().await(id(id), capped(timeout), () -> parts.lookup().find(id, null)))
                .orElseThrow(() -> JobLookup.notFound(id));
    }

    /**
     * As {@link #await}, for {@code owner}'s job, without holding a thread while waiting: the future completes with
     * the job once it is done or failed, or with its state when the timeout passes; exceptionally with
     * {@code not_found} for an unknown id (or a job deleted while waited for), or {@code unavailable} once the service
     * closes: {@link #close()} ends these waits too. What follows the completion runs on {@code executor}.
     */
    public CompletableFuture<Job> awaitAsync(UUID id, String owner, Duration timeout, Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return gate.call(() -> parts.waits().awaitAsync(id(id), capped(timeout),
                        () -> gate.call(() -> parts.lookup().find(id(id), owner)), executor))
                .thenApply(job -> job.orElseThrow(() -> JobLookup.notFound(id)));
    }

    /**
     * Waits, without holding a thread, until every item of {@code owner}'s batch is done or failed (items deleted
     * meanwhile no longer count), or the timeout passes: the future completes with the batch then; exceptionally with
     * {@code not_found} for an unknown batch, or {@code unavailable} once the service closes ({@link #close()} ends
     * these waits at once). What follows the completion runs on {@code executor}.
     */
    public CompletableFuture<Batch> awaitBatch(UUID id, String owner, Duration timeout, Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return gate.call(() -> parts.batches().awaitFinished(id(id), owner, capped(timeout), executor));
    }

    /**
     * Follows {@code owner}'s batch: {@code listener} hears each item as it is now, then each change of an item, then
     * the batch once every item is finished, or why following it ended (the service closed); see
     * {@link BatchListener}. Only this batch's changes are delivered. Closing the returned handle stops it.
     *
     * @throws ThumbnailException {@code not_found} at once for an unknown batch
     */
    public AutoCloseable subscribeBatch(UUID id, String owner, BatchListener listener) {
        Objects.requireNonNull(listener, "listener");
        return gate.call(() -> parts.batches().subscribe(id(id), owner, listener));
    }

    /** As {@link #thumbnailBytes(UUID, String)}, whoever owns the job. */
    public byte[] thumbnailBytes(UUID id) {
        return thumbnailBytes(id, null);
    }

    /** Thumbnail bytes; {@code not_found} if unknown, {@code not_ready} if not done, the job's error if it failed. */
    public byte[] thumbnailBytes(UUID id, String owner) {
        return gate.call(() -> parts.lookup().thumbnailBytes(id(id), owner));
    }

    /** As {@link #openThumbnail(UUID, String)}, whoever owns the job. */
    public ThumbnailContent openThumbnail(UUID id) {
        return openThumbnail(id, null);
    }

    /**
     * The thumbnail opened for streaming, with its length, format and hash; close it once read. Same errors as
     * {@link #thumbnailBytes}.
     */
    public ThumbnailContent openThumbnail(UUID id, String owner) {
        return gate.call(() -> parts.lookup().openThumbnail(id(id), owner, null));
    }

    /**
     * The thumbnail in {@code format}, opened for streaming: its result's, or its {@link JobResult#fallback()
     * fallback's} (an {@link OutputFormat#AUTO_WEBP} job keeps the same thumbnail as WebP and as JPEG or PNG). Same
     * errors as {@link #thumbnailBytes}, and {@code not_found} if the job has its thumbnail in no such format.
     *
     * @param owner null for a caller who sees every owner's jobs
     */
    public ThumbnailContent openThumbnail(UUID id, String owner, ImageFormat format) {
        Objects.requireNonNull(format, "format");
        return gate.call(() -> parts.lookup().openThumbnail(id(id), owner, format));
    }

    /** As {@link #batch(UUID, String)}, whoever owns the batch. */
    public Optional<Batch> batch(UUID id) {
        return batch(id, null);
    }

    /** The batch with its items, if it exists and is {@code owner}'s. */
    public Optional<Batch> batch(UUID id, String owner) {
        return gate.call(() -> parts.lookup().batch(id(id), owner));
    }

    /**
     * A 32-byte key for {@code purpose} (such as {@code "url-signing"}), derived from a random secret the service
     * makes once and keeps in its job store: the same after every restart on the same data directory (and on every
     * node sharing one database), different for every purpose. For signing what the service hands out, such as URLs,
     * without configuring a key; losing the database changes every key.
     *
     * @throws IllegalArgumentException for a blank purpose
     */
    public byte[] derivedKey(String purpose) {
        return gate.call(() -> parts.keys().derive(purpose));
    }

    private static UUID id(UUID id) {
        return Objects.requireNonNull(id, "id");
    }

    /** A wait's timeout, at most {@link ServiceDefaults#MAX_DURATION} (the clocks that count it do not overflow). */
    private static Duration capped(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return timeout.compareTo(ServiceDefaults.MAX_DURATION) > 0 ? ServiceDefaults.MAX_DURATION : timeout;
    }

    /** Registers a listener for every job state change; closing the returned handle removes it. */
    public AutoCloseable addListener(JobListener listener) {
        return parts.events().addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * The service's state for health checks and metrics, answered at once from what the service keeps, never by
     * waiting for a store: the stores' health as their last operations left it (a failing store is probed every
     * second, so it shows up again within about a second of working), and the job database's counts as read every
     * second. After {@link #close()} it fails with {@code unavailable}, as every call does, rather than report a
     * closed database as a failing one.
     */
    public ServiceStats stats() {
        return gate.call(() -> parts.status().read());
    }

    /**
     * The name this node holds its jobs' leases under ({@link ThumbnailServiceBuilder#nodeId}), shown in health
     * checks, logs and the jobs it runs.
     */
    public String nodeId() {
        return parts.settings().nodeId();
    }

    /** The pipeline this service uses (also usable directly, for example by a CLI). */
    public Thumbnailer thumbnailer() {
        return thumbnailer;
    }

    /**
     * Begins closing, for an application that gives the requests it is answering a moment before {@link #close()}:
     * ends every {@link #await}, {@link #awaitAsync}, {@link #awaitBatch} and {@link #subscribeBatch} in progress with
     * {@code unavailable} at once, and stops taking queued jobs, while submits, reads and running jobs go on. Does
     * nothing once the service is closed.
     */
    public void beginClose() {
        try {
            gate.call(() -> {
                parts.beginClose();
                return null;
            });
        } catch (ThumbnailException e) {
            if (e.code() != ErrorCode.UNAVAILABLE) {
                throw e;
            }
        }
    }

    /**
     * Ends every {@link #await}, {@link #awaitAsync} and {@link #awaitBatch} in progress with {@code unavailable} (its
     * caller can answer at once rather than be cut off), stops claiming, lets running jobs finish within the shutdown
     * timeout, leaves the rest queued, and then tells the listeners {@link JobListener#onClose()} (and every
     * {@link #subscribeBatch} its end).
     */
    @Override
    public void close() {
        if (gate.close()) {
            parts.close();
        }
    }

    /** The parts, whose background work tests in this package drive by hand. */
    ServiceAssembly assembly() {
        return parts;
    }
}
