package io.thumbnail.internal.source;

import io.thumbnail.SourceInfo;
import io.thumbnail.internal.image.ImagePipeline;

import java.net.URI;

/**
 * What a worker runs for a job whose image is a URL: fetch it under the guard, then check it from its header like an
 * upload (size, format, pixels), so a fetched image meets exactly the limits an uploaded one does.
 */
public final class UrlSourceLoader {
    /** The fetched bytes and what the header says about them. */
    public record Loaded(byte[] bytes, SourceInfo info) {
    }

    private final UrlFetcher fetcher;
    private final ImagePipeline images;

    public UrlSourceLoader(UrlFetcher fetcher, ImagePipeline images) {
        this.fetcher = fetcher;
        this.images = images;
    }

    /** Throws {@link io.thumbnail.ThumbnailException} with the fetcher's or the inspector's code. */
    public Loaded load(URI url) {
        byte[] bytes = fetcher.fetch(url.toString()).bytes();
        return new Loaded(bytes, images.inspect(bytes));
    }
}
