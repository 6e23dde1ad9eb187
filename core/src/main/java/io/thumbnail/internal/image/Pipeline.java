package io.thumbnail.internal.image;

import io.thumbnail.SourceInfo;
import io.thumbnail.Thumbnail;
import io.thumbnail.ThumbnailSpec;

import java.nio.ByteBuffer;

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

    /**
     * As {@link #thumbnail(byte[], SourceInfo, ThumbnailSpec)} for the buffer's bytes from 0 to its limit, which may
     * be outside the heap: how a worker hands over an original read back from the blob store without a multi-megabyte
     * array per job (in a small heap each such array is a humongous allocation, and those start G1's marking cycles).
     * Stand-ins get a copy in an array.
     */
    default Thumbnail thumbnail(ByteBuffer source, SourceInfo known, ThumbnailSpec spec) {
        byte[] copy = new byte[source.limit()];
        source.get(0, copy);
        return thumbnail(copy, known, spec);
    }
}
