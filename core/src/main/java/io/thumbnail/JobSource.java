package io.thumbnail;

/**
 * Where a job's image came from and what it is.
 *
 * @param name   the original file name or URL (may be null for an anonymous upload)
 * @param bytes  the encoded size, or 0 until known (a URL not fetched yet)
 * @param format the sniffed format, or null until known
 * @param width  upright width, or null until known
 * @param height upright height, or null until known
 * @param sha256 lower-case hex SHA-256 of the bytes, or null until known
 * @param url    the http(s) URL the image is fetched from, or null for an upload
 */
public record JobSource(String name, long bytes, ImageFormat format, Integer width, Integer height, String sha256,
                        java.net.URI url) {
    /** A source handed over as bytes (no URL). */
    public JobSource(String name, long bytes, ImageFormat format, Integer width, Integer height, String sha256) {
        this(name, bytes, format, width, height, sha256, null);
    }
}
