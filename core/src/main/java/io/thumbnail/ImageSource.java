package io.thumbnail;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An image handed to the service: bytes already in memory, a file, or an http(s) URL.
 *
 * <pre>{@code
 * ImageSource.of(bytes, "cat.jpg");      // the name is kept for display and downloads, never trusted for the format
 * ImageSource.of(Path.of("cat.jpg"));
 * ImageSource.url(URI.create("https://example.com/cat.jpg"));   // fetched later by a worker, never by the caller
 * }</pre>
 */
public final class ImageSource {
    private final byte[] bytes;
    private final Path file;
    private final String name;
    private final URI url;
    private final boolean handedOver;

    private ImageSource(byte[] bytes, Path file, String name) {
        this(bytes, file, name, null, false);
    }

    private ImageSource(byte[] bytes, Path file, String name, URI url, boolean handedOver) {
        this.bytes = bytes;
        this.file = file;
        this.name = name;
        this.url = url;
        this.handedOver = handedOver;
    }

    /**
     * An image a worker fetches from {@code url} (http or https only). The URL is checked by the service's source
     * guard when fetched: private and internal addresses are refused ({@code source_blocked}) unless the service
     * allows private sources.
     *
     * @throws ThumbnailException {@code source_blocked} at once for a scheme other than http or https
     */
    public static ImageSource url(URI url) {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getRawAuthority() == null) {
            throw new ThumbnailException(ErrorCode.SOURCE_BLOCKED,
                    "only http and https URLs with a host can be fetched (was '" + url + "')");
        }
        return new ImageSource(null, null, url.toString(), url, false);
    }

    /** The URL to fetch, or null when the bytes were handed over. */
    public URI url() {
        return url;
    }

    public static ImageSource of(byte[] bytes, String name) {
        return new ImageSource(Objects.requireNonNull(bytes, "bytes"), null, name);
    }

    /**
     * Bytes the caller gives up: the service may keep this very array for the worker instead of a copy, so the
     * caller must not change it after submit. For callers that made the array for this one submit (an upload read
     * off the network); {@link #of(byte[], String)} is the safe choice for anything else.
     */
    public static ImageSource handOver(byte[] bytes, String name) {
        return new ImageSource(Objects.requireNonNull(bytes, "bytes"), null, name, null, true);
    }

    public static ImageSource of(Path file) {
        Objects.requireNonNull(file, "file");
        Path fileName = file.getFileName();
        return new ImageSource(null, file, fileName == null ? null : fileName.toString());
    }

    /** The original name, or null. */
    public String name() {
        return name;
    }

    /** The in-memory bytes, or null when this source is a file or a URL. */
    public byte[] bytes() {
        return bytes;
    }

    /** Whether the bytes were {@linkplain #handOver handed over}, so the service need not copy them to keep them. */
    public boolean handedOver() {
        return handedOver;
    }

    /** The file, or null when this source is in memory or a URL. */
    public Path file() {
        return file;
    }
}
