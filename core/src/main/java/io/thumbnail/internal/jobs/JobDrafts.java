package io.thumbnail.internal.jobs;

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
import io.thumbnail.internal.image.ImagePipeline;
import io.thumbnail.internal.image.header.ImageBytes;
import io.thumbnail.internal.image.header.SourceBytes;
import io.thumbnail.internal.store.JobStore;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The jobs an image handed over becomes, drafted before anything is stored. The image is checked from its header (size,
 * format, pixel count) without decoding, and read and hashed once for all its specs; an upload's header is read from
 * the blob store, where it already is, so an upload of any size is never held in memory. A spec whose thumbnail a done
 * job of the same owner already has is drafted done. A URL source is drafted queued as it is: a worker fetches it.
 */
final class JobDrafts {
    private final JobStore store;
    private final ImagePipeline images;
    private final Consumer<URI> urlSources;

    JobDrafts(JobStore store, ImagePipeline images, Consumer<URI> urlSources) {
        this.store = store;
        this.images = images;
        this.urlSources = urlSources;
    }

    /**
     * One item per spec, all of one image, or the pipeline's {@link ThumbnailException} for an image that fails the
     * checks. A spec the image cannot be made at (past the output limit) throws too, or in a batch becomes that
     * spec's failed item.
     */
    List<IntakeItem> of(ImageInput source, List<ThumbnailSpec> specs, SubmitOptions options, UUID batchId, Instant now,
                        Callback callback) {
        List<IntakeItem> items = new ArrayList<>(specs.size());
        if (source.url() != null) {
            // Fetched by a worker, never here: the caller's thread does no network I/O, not even a lookup; what
            // can be refused without one is refused now.
            urlSources.accept(source.url());
            JobSource url = new JobSource(source.name(), 0, null, null, null, null, source.url());
            for (ThumbnailSpec spec : specs) {
                if (checked(null, source, spec, options, batchId, now, items)) {
                    items.add(new IntakeItem(queued(spec, options, batchId, now, callback).source(url).build()));
                }
            }
            return items;
        }
        ImageInput.Upload upload = source.upload();
        byte[] bytes = upload == null ? read(source) : null;
        SourceInfo info = upload == null ? images.inspect(bytes) : inspect(upload);
        JobSource known = new JobSource(source.name(), info.bytes(), info.format(), info.width(), info.height(),
                info.sha256());
        for (ThumbnailSpec spec : specs) {
            if (!checked(info, source, spec, options, batchId, now, items)) {
                continue;
            }
            Job.Builder job = queued(spec, options, batchId, now, callback).source(known);
            Optional<Job> same = store.findDone(info.sha256(), spec, options.owner());
            if (same.isPresent() && options.publishTo() == null) {
                // Dedupe: the thumbnail exists already; this job is born done, no decode.
                job.status(JobStatus.DONE).result(same.get().result()).startedAt(now).finishedAt(now);
            }
            // With a publication asked for, even a duplicate goes to a worker: it dedupes there, then publishes.
            items.add(upload == null ? new IntakeItem(bytes, callersBytes(bytes, source), job.build())
                    : new IntakeItem(upload, job.build()));
        }
        return items;
    }

    /**
     * Whether {@code spec} can be made of the image ({@code info}, or null before a fetch: its box only). If not, it
     * throws, or in a batch adds that spec's failed item and returns false: the image's other renditions go on.
     */
    private boolean checked(SourceInfo info, ImageInput source, ThumbnailSpec spec, SubmitOptions options,
                            UUID batchId, Instant now, List<IntakeItem> items) {
        try {
            images.checkSpec(info, spec);
            return true;
        } catch (ThumbnailException e) {
            if (batchId == null) {
                throw e;
            }
            items.add(new IntakeItem(refused(source, spec, options, batchId, now, e)));
            return false;
        }
    }

    /** A batch's item for an image that failed the checks with {@code e}: failed at once, so it fails alone. */
    static Job refused(ImageInput source, ThumbnailSpec spec, SubmitOptions options, UUID batchId, Instant now,
                       ThumbnailException e) {
        return Job.builder().id(UUID.randomUUID()).status(JobStatus.FAILED).spec(spec)
                .source(new JobSource(source.name(), source.knownSize(), null, null, null, null, source.url()))
                .error(JobError.of(e)).createdAt(now).finishedAt(now).batchId(batchId).owner(options.owner())
                .priority(options.priority()).build();
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

    private byte[] read(ImageInput source) {
        if (source.bytes() != null) {
            return source.bytes();
        }
        return SourceBytes.read(source.file(), images.limits());
    }
}
