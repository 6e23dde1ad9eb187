package io.thumbnail;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A finished job's thumbnail, opened for streaming (a download): its bytes as a stream the caller closes, how many
 * there are, their format and their SHA-256 (which never changes for a job: a fine ETag).
 */
public record ThumbnailContent(InputStream stream, long length, ImageFormat format, String sha256)
        implements AutoCloseable {
    public ThumbnailContent {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(sha256, "sha256");
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
