package io.thumbnail.internal.worker;

import io.thumbnail.Thumbnail;
import io.thumbnail.ThumbnailSpec;

/** What a worker runs on a job's bytes: the {@link io.thumbnail.Thumbnailer} in production, a stand-in in tests. */
@FunctionalInterface
public interface Pipeline {
    Thumbnail thumbnail(byte[] source, ThumbnailSpec spec);
}
