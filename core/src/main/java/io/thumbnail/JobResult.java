package io.thumbnail;

import java.util.List;

/**
 * The thumbnail a finished job produced; its bytes are read with {@link ThumbnailService#thumbnailBytes}.
 *
 * @param fallback for {@link OutputFormat#AUTO_WEBP}, the same thumbnail as JPEG or PNG for clients without WebP
 *                 ({@link ThumbnailService#openThumbnail(java.util.UUID, String, ImageFormat)}); otherwise null
 */
public record JobResult(ImageFormat format, int width, int height, long bytes, String sha256, Fallback fallback) {
    /** A thumbnail in one format only. */
    public JobResult(ImageFormat format, int width, int height, long bytes, String sha256) {
        this(format, width, height, bytes, sha256, null);
    }

    /** The stored files: the thumbnail's, then its fallback's if it has one. */
    public List<String> files() {
        return fallback == null ? List.of(sha256) : List.of(sha256, fallback.sha256());
    }

    /** The stored second format of a thumbnail. */
    public record Fallback(ImageFormat format, long bytes, String sha256) {
    }
}
