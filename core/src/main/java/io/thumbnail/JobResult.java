package io.thumbnail;

/** The thumbnail a finished job produced; its bytes are read with {@link ThumbnailService#thumbnailBytes}. */
public record JobResult(ImageFormat format, int width, int height, long bytes, String sha256) {
}
