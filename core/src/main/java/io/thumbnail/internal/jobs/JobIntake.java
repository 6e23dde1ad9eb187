package io.thumbnail.internal.jobs;

import io.thumbnail.Batch;
import io.thumbnail.Callback;
import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.SubmitOptions;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.blob.RecentOriginals;
import io.thumbnail.internal.image.ImagePipeline;
import io.thumbnail.internal.publish.Publishers;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.webhook.Webhooks;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Turns images handed over into durable jobs: each image is checked and its jobs drafted ({@link JobDrafts}), then
 * its original and their rows stored ({@link IntakeWriter}), so a job that exists always has its original. The bytes
 * of a queued job that came in memory are also handed to {@link RecentOriginals}, so its worker need not read them
 * back from disk.
 *
 * <p>A single image that fails the checks is refused with the pipeline's exception (the caller made a mistake).
 * In a batch the same image becomes a failed job of the batch, so one bad item fails alone.
 */
public final class JobIntake {
    private final JobStore store;
    private final Clock clock;
    private final Publishers publishers;
    private final Webhooks webhooks;
    private final Runnable accepted;
    private final JobDrafts drafts;
    private final IntakeWriter writer;
    private final Consumer<URI> urlSources;

    /**
     * @param publishers where jobs may ask to be published
     * @param webhooks   checks callback URLs, and follows batches that asked for one
     * @param urlSources  refuses a URL source that the fetch would refuse whatever its host name resolves to (a
     *                    private address spelled out, a scheme or a host not allowed), without a lookup
     * @param accepted   told after each submit that stored queued jobs (wakes the workers)
     */
    public JobIntake(JobStore store, BlobStore blobs, RecentOriginals originals, ImagePipeline images, Clock clock,
                     JobStore.QueueLimits queueLimits, Publishers publishers, Webhooks webhooks,
                     Consumer<URI> urlSources, Runnable accepted) {
        this.store = store;
        this.clock = clock;
        this.publishers = publishers;
        this.webhooks = webhooks;
        this.accepted = accepted;
        this.urlSources = urlSources;
        this.drafts = new JobDrafts(store, images, urlSources);
        this.writer = new IntakeWriter(store, blobs, originals, queueLimits);
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
        Job job = writer.store(null, drafts.of(source, List.of(spec), options, null, now(), callback)).get(0);
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
        // A URL no fetch would take whatever its host resolves to refuses the whole request, as it does alone:
        // nothing is queued for it, not even as a failed item.
        sources.stream().filter(source -> source.url() != null).forEach(source -> urlSources.accept(source.url()));
        // One callback for the whole batch (batch.done), none for its items.
        Callback callback = webhooks.check(options.callbackUrl());
        UUID batchId = UUID.randomUUID();
        Instant now = now();
        List<IntakeItem> items = new ArrayList<>(sources.size() * specs.size());
        for (ImageInput source : sources) {
            try {
                items.addAll(drafts.of(source, specs, options, batchId, now, null));
            } catch (ThumbnailException e) {
                specs.forEach(each -> items.add(new IntakeItem(JobDrafts.refused(source, each, options, batchId, now,
                        e))));
            }
        }
        if (callback != null) {
            // Followed before it is stored: its items may finish (and be reported) the moment it is.
            webhooks.watchBatch(batchId);
        }
        try {
            writer.store(new JobStore.NewBatch(batchId, items.size(), now, options.owner(), callback), items);
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

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
