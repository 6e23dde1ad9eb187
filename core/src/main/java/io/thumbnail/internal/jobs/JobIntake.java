package io.thumbnail.internal.jobs;

import io.thumbnail.Batch;
import io.thumbnail.Callback;
import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobSource;
import io.thumbnail.JobStatus;
import io.thumbnail.Publication;
import io.thumbnail.SourceInfo;
import io.thumbnail.SubmitOptions;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.blob.RecentOriginals;
import io.thumbnail.internal.image.ImagePipeline;
import io.thumbnail.internal.image.header.ImageBytes;
import io.thumbnail.internal.publish.Publishers;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.webhook.Webhooks;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Turns images handed over into durable jobs. Each image is checked from its header (size, format, pixel count)
 * without decoding; its bytes are written to the blob store and forced to disk before the row is committed, so
 * a job that exists always has its original. An upload is already in the blob store, received: its header is read
 * from there and it is stored as it is, so an upload of any size is never held in memory. The bytes
 * of a queued job that came in memory are also handed to {@link RecentOriginals}, so its worker need not read them
 * back from disk.
 *
 * <p>A single image that fails the checks is refused with the pipeline's exception (the caller made a mistake).
 * In a batch the same image becomes a failed job of the batch, so one bad item fails alone.
 */
public final class JobIntake {
    private final JobStore store;
    private final BlobStore blobs;
    private final ImagePipeline images;
    private final Clock clock;
    private final JobStore.QueueLimits queueLimits;
    private final RecentOriginals originals;
    private final Publishers publishers;
    private final Webhooks webhooks;
    private final Runnable accepted;

    /**
     * @param publishers where jobs may ask to be published
     * @param webhooks   checks callback URLs, and follows batches that asked for one
     * @param accepted   told after each submit that stored queued jobs (wakes the workers)
     */
    public JobIntake(JobStore store, BlobStore blobs, RecentOriginals originals, ImagePipeline images, Clock clock,
                     JobStore.QueueLimits queueLimits, Publishers publishers, Webhooks webhooks, Runnable accepted) {
        this.publishers = publishers;
        this.webhooks = webhooks;
        this.store = store;
        this.blobs = blobs;
        this.originals = originals;
        this.images = images;
        this.clock = clock;
        this.queueLimits = queueLimits;
        this.accepted = accepted;
    }

    /**
     * An image that passed the checks, and what it will become: its bytes in memory ({@code callersBytes} when the
     * array is the caller's own, which it may change after submit returns, and was not handed over), or the upload
     * whose bytes are stored as they are.
     */
    private record Item(byte[] bytes, boolean callersBytes, ImageInput.Upload upload, Job job) {
        Item(Job job) {
            this(null, false, null, job);
        }

        Item(byte[] bytes, boolean callersBytes, Job job) {
            this(bytes, callersBytes, null, job);
        }

        Item(ImageInput.Upload upload, Job job) {
            this(null, false, upload, job);
        }

        boolean hasOriginal() {
            return bytes != null || upload != null;
        }
    }

    /** Accepts one image as {@code options} ask; renditions, which make several jobs, are for {@link #submitAll}. */
    public Job submit(ImageInput source, ThumbnailSpec spec, SubmitOptions options) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(spec, "spec");
        if (options.hasRenditions()) {
            throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "renditions make one job per spec: submit them"
                    + " with submitAll, which answers a batch");
        }
        publishers.checkPublishTo(options.publishTo());
        Callback callback = webhooks.check(options.callbackUrl());
        Job job = store(null, accept(source, List.of(spec), options, null, now(), callback)).get(0);
        accepted.run();
        return job;
    }

    /**
     * Stores every image as one batch, as {@code options} ask; returns the batch as stored. With renditions each image
     * becomes one job per rendition, in their order, all sharing its one stored original; {@code spec} is then null.
     */
    public Batch submitAll(List<ImageInput> sources, ThumbnailSpec spec, SubmitOptions options) {
        Objects.requireNonNull(sources, "sources");
        List<ThumbnailSpec> specs = specs(spec, options);
        publishers.checkPublishTo(options.publishTo());
        if (sources.isEmpty()) {
            throw new ThumbnailException(ErrorCode.INVALID_SPEC, "a batch needs at least one image");
        }
        // One callback for the whole batch (batch.done), none for its items.
        Callback callback = webhooks.check(options.callbackUrl());
        UUID batchId = UUID.randomUUID();
        Instant now = now();
        List<Item> items = new ArrayList<>(sources.size() * specs.size());
        for (ImageInput source : sources) {
            try {
                items.addAll(accept(source, specs, options, batchId, now, null));
            } catch (ThumbnailException e) {
                specs.forEach(each -> items.add(new Item(refused(source, each, options, batchId, now, e))));
            }
        }
        if (callback != null) {
            // Followed before it is stored: its items may finish (and be reported) the moment it is.
            webhooks.watchBatch(batchId);
        }
        try {
            store(new JobStore.NewBatch(batchId, items.size(), now, options.owner(), callback), items);
        } catch (RuntimeException e) {
            webhooks.forgetBatch(batchId);
            throw e;
        }
        accepted.run();
        return store.batch(batchId).orElseThrow(() -> new IllegalStateException("batch " + batchId + " vanished"));
    }

    /** The spec of each job an image becomes: the renditions, else the one spec. */
    private static List<ThumbnailSpec> specs(ThumbnailSpec spec, SubmitOptions options) {
        if (!options.hasRenditions()) {
            return List.of(Objects.requireNonNull(spec, "spec"));
        }
        if (spec != null) {
            throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "give either a spec or renditions, not both (the"
                    + " spec must be null when options carry renditions)");
        }
        return options.renditions();
    }

    /** One item per spec, all of one image: checked, read and hashed once. */
    private List<Item> accept(ImageInput source, List<ThumbnailSpec> specs, SubmitOptions options, UUID batchId,
                              Instant now, Callback callback) {
        List<Item> items = new ArrayList<>(specs.size());
        if (source.url() != null) {
            // Fetched by a worker, never here: the caller's thread does no network I/O.
            JobSource url = new JobSource(source.name(), 0, null, null, null, null, source.url());
            specs.forEach(spec -> items.add(new Item(queued(spec, options, batchId, now, callback).source(url).build())));
            return items;
        }
        ImageInput.Upload upload = source.upload();
        byte[] bytes = upload == null ? read(source) : null;
        SourceInfo info = upload == null ? images.inspect(bytes) : inspect(upload);
        JobSource known = new JobSource(source.name(), info.bytes(), info.format(), info.width(), info.height(),
                info.sha256());
        for (ThumbnailSpec spec : specs) {
            Job.Builder job = queued(spec, options, batchId, now, callback).source(known);
            Optional<Job> same = store.findDone(info.sha256(), spec, options.owner());
            if (same.isPresent() && options.publishTo() == null) {
                // Dedupe: the thumbnail exists already; this job is born done, no decode.
                job.status(JobStatus.DONE).result(same.get().result()).startedAt(now).finishedAt(now);
            }
            // With a publication asked for, even a duplicate goes to a worker: it dedupes there, then publishes.
            items.add(upload == null ? new Item(bytes, callersBytes(bytes, source), job.build())
                    : new Item(upload, job.build()));
        }
        return items;
    }

    private static Job.Builder queued(ThumbnailSpec spec, SubmitOptions options, UUID batchId, Instant now,
                                      Callback callback) {
        String publishTo = options.publishTo();
        return Job.builder().id(UUID.randomUUID()).status(JobStatus.QUEUED).spec(spec).createdAt(now)
                .batchId(batchId).owner(options.owner()).priority(options.priority())
                .publication(publishTo == null ? null : Publication.pending(publishTo)).callback(callback);
    }

    /** The checks of {@link ImagePipeline#inspect} on an upload's bytes, its header read a block at a time. */
    private SourceInfo inspect(ImageInput.Upload upload) {
        try (SeekableByteChannel received = upload.incoming().read()) {
            return images.inspect(ImageBytes.of(received), upload.sha256());
        } catch (IOException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not read the upload: " + e.getMessage(), e);
        }
    }

    private static boolean callersBytes(byte[] bytes, ImageInput source) {
        return bytes == source.bytes() && !source.handedOver();
    }

    private static Job refused(ImageInput source, ThumbnailSpec spec, SubmitOptions options, UUID batchId,
                               Instant now, ThumbnailException e) {
        return Job.builder().id(UUID.randomUUID()).status(JobStatus.FAILED).spec(spec)
                .source(new JobSource(source.name(), source.knownSize(), null, null, null, null, source.url()))
                .error(JobError.of(e)).createdAt(now).finishedAt(now).batchId(batchId).owner(options.owner())
                .priority(options.priority()).build();
    }

    /**
     * Writes the files (pinned, so no sweep or delete takes them), then commits the rows in one transaction; returns
     * the jobs as stored. Queued jobs' bytes are offered to the workers before the commit, since a worker may claim
     * the job the moment it is committed.
     */
    private List<Job> store(JobStore.NewBatch batch, List<Item> items) {
        List<BlobStore.Pin> pins = new ArrayList<>();
        List<String> written = new ArrayList<>();
        List<String> offered = new ArrayList<>();
        List<Job> jobs = new ArrayList<>(items.size());
        // An image's renditions share its bytes or upload: stored once, by the first of them.
        Set<Object> stored = Collections.newSetFromMap(new IdentityHashMap<>());
        try {
            for (Item item : items) {
                Job job = item.job();
                if (item.hasOriginal()) {
                    boolean first = stored.add(item.upload() != null ? item.upload() : item.bytes());
                    if (first) {
                        pins.add(blobs.pin(job.source().sha256()));
                    }
                    if (job.result() != null) {
                        job.result().files().forEach(file -> pins.add(blobs.pin(file)));
                        if (!job.result().files().stream().allMatch(blobs::exists)) {
                            // The done job we matched was deleted meanwhile: make the thumbnail after all.
                            job = job.toBuilder().status(JobStatus.QUEUED).result(null).startedAt(null)
                                    .finishedAt(null).build();
                        }
                    }
                    if (first) {
                        if (item.upload() != null) {
                            item.upload().incoming().store(job.source().sha256());
                        } else {
                            blobs.write(job.source().sha256(), item.bytes());
                        }
                        written.add(job.source().sha256());
                    }
                    if (job.status() == JobStatus.QUEUED && item.bytes() != null) {
                        if (item.callersBytes()) {
                            originals.offerCopy(job.source().sha256(), item.bytes());
                        } else {
                            originals.offer(job.source().sha256(), item.bytes());
                        }
                        offered.add(job.source().sha256());
                    }
                }
                jobs.add(job);
            }
            store.insert(batch, jobs, queueLimits);
            written.clear();
            offered.clear();
        } finally {
            offered.forEach(originals::withdraw);
            pins.forEach(BlobStore.Pin::close);
            // Refused (queue full) or failed: remove what only this submit wanted.
            written.forEach(sha -> blobs.deleteIfUnreferenced(sha, store::references));
        }
        return jobs;
    }

    private byte[] read(ImageInput source) {
        if (source.bytes() != null) {
            return source.bytes();
        }
        long max = images.limits().maxInputBytes();
        try {
            long size = Files.size(source.file());
            if (size > max) {
                throw new ThumbnailException(ErrorCode.TOO_LARGE,
                        "the image is " + size + " bytes; the limit is " + max);
            }
            return Files.readAllBytes(source.file());
        } catch (NoSuchFileException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "no such file: " + source.file(), e);
        } catch (IOException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not read " + source.file() + ": "
                    + e.getMessage(), e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
