package io.thumbnail;

import java.util.Objects;

/**
 * What the pipeline learnt about a source image.
 *
 * @param format the format sniffed from the bytes
 * @param width  width as displayed, that is after EXIF orientation
 * @param height height as displayed, that is after EXIF orientation
 * @param bytes  the size of the encoded source
 * @param sha256 lower-case hex SHA-256 of the encoded source; null from a {@link Thumbnailer#withoutSourceHashes()}
 */
public record SourceInfo(ImageFormat format, int width, int height, long bytes, String sha256) {
    public SourceInfo {
        Objects.requireNonNull(format, "format");
    }
}
