package io.thumbnail.internal.image;

import io.thumbnail.SourceInfo;
import io.thumbnail.Thumbnail;
import io.thumbnail.ThumbnailSpec;

/** What a worker runs on a job's bytes: {@link ImagePipeline} in production, a stand-in in tests. */
@FunctionalInterface
public interface Pipeline {
    Thumbnail thumbnail(byte[] source, ThumbnailSpec spec);

    /**
     * As {@link #thumbnail(byte[], ThumbnailSpec)} for bytes the job already checked and hashed when it was accepted
     * ({@code known}); the real pipeline then skips hashing them again. Stand-ins need not care.
     */
    default Thumbnail thumbnail(byte[] source, SourceInfo known, ThumbnailSpec spec) {
        return thumbnail(source, spec);
    }
}
