package io.thumbnail.internal.image;

import io.thumbnail.SourceInfo;
import io.thumbnail.Thumbnail;
import io.thumbnail.ThumbnailSpec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

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

    /** What one spec of {@link #thumbnails} came to: its thumbnail, or (null thumbnail) why it could not be made. */
    record Rendition(Thumbnail thumbnail, RuntimeException failure) {
    }

    /**
     * Thumbnails of one source in each of {@code specs}, in their order: the real pipeline decodes the source once,
     * at the scale the largest needs, and makes each from that; by default each is made on its own. One spec's
     * failure is that rendition's alone; an exception thrown (an error) is every one's.
     */
    default List<Rendition> thumbnails(byte[] source, SourceInfo known, List<ThumbnailSpec> specs) {
        List<Rendition> made = new ArrayList<>(specs.size());
        for (ThumbnailSpec spec : specs) {
            try {
                made.add(new Rendition(thumbnail(source, known, spec), null));
            } catch (RuntimeException e) {
                made.add(new Rendition(null, e));
            }
        }
        return made;
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
