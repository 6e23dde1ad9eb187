package io.thumbnail;

import io.thumbnail.internal.jobs.ImageInput;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An image handed to the service: bytes already in memory, a file, an {@link ImageUpload} received into the data
 * directory, or an http(s) URL.
 *
 * <pre>{@code
 * ImageSource.of(bytes, "cat.jpg");      // the name is kept for display and downloads, never trusted for the format
 * ImageSource.of(Path.of("cat.jpg"));
 * ImageSource.url(URI.create("https://example.com/cat.jpg"));   // fetched later by a worker, never by the caller
 * }</pre>
 *
 * <p>Names and URLs are stored with the job and shown in every listing, so their length is bounded: a name of more
 * than {@value #MAX_NAME_BYTES} bytes (UTF-8) or a URL of more than {@value #MAX_URL_CHARS} characters is refused
 * with {@code invalid_request}.
 */
public final class ImageSource {
    /** The longest name kept, in UTF-8 bytes: any file name of Linux, macOS or Windows (255 UTF-16 units) fits. */
    public static final int MAX_NAME_BYTES = 1024;
    /** The longest URL accepted, in characters. */
    public static final int MAX_URL_CHARS = 8192;

    private final byte[] bytes;
    private final Path file;
    private final String name;
    private final URI url;
    private final boolean handedOver;
    private final ImageUpload upload;

    private ImageSource(byte[] bytes, Path file, String name) {
        this(bytes, file, name, null, false, null);
    }

    private ImageSource(byte[] bytes, Path file, String name, URI url, boolean handedOver, ImageUpload upload) {
        // A URL source is named by its URL, bounded above.
        if (url == null && name != null && name.length() > MAX_NAME_BYTES / 3
                && name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "the file name is "
                    + name.getBytes(StandardCharsets.UTF_8).length + " bytes long; at most " + MAX_NAME_BYTES
                    + " bytes (UTF-8) are accepted");
        }
        this.bytes = bytes;
        this.file = file;
        this.name = name;
        this.url = url;
        this.handedOver = handedOver;
        this.upload = upload;
    }

    /**
     * An image a worker fetches from {@code url} (http or https only). The URL is checked by the service's source
     * guard: private and internal addresses are refused ({@code source_blocked}) unless the service allows private
     * sources, at submit when the URL spells the address out, else when the worker resolves its host.
     *
     * @throws ThumbnailException {@code source_blocked} at once for a scheme other than http or https;
     *                            {@code invalid_request} for a URL longer than {@value #MAX_URL_CHARS} characters
     */
    public static ImageSource url(URI url) {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        String text = url.toString();
        if (text.length() > MAX_URL_CHARS) {
            throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "the URL is " + text.length()
                    + " characters long; at most " + MAX_URL_CHARS + " are accepted");
        }
        if (!scheme.equals("http") && !scheme.equals("https") || url.getRawAuthority() == null) {
            throw new ThumbnailException(ErrorCode.SOURCE_BLOCKED,
                    "only http and https URLs with a host can be fetched (was '" + url + "')");
        }
        return new ImageSource(null, null, text, url, false, null);
    }

    /** The URL to fetch, or null when the bytes were handed over. */
    public URI url() {
        return url;
    }

    /**
     * Encoded image bytes, and the name they had (a file name, kept with the job; null for none). The service copies
     * them at submit, so the caller may reuse the array ({@link #handOver} spares the copy).
     */
    public static ImageSource of(byte[] bytes, String name) {
        return new ImageSource(Objects.requireNonNull(bytes, "bytes"), null, name);
    }

    /**
     * Bytes the caller gives up: the service may keep this very array for the worker instead of a copy, so the
     * caller must not change it after submit. For callers that made the array for this one submit (an upload read
     * off the network); {@link #of(byte[], String)} is the safe choice for anything else.
     */
    public static ImageSource handOver(byte[] bytes, String name) {
        return new ImageSource(Objects.requireNonNull(bytes, "bytes"), null, name, null, true, null);
    }

    /** The file of {@code upload}, which a submit moves into the store; see {@link ImageUpload#source}. */
    static ImageSource upload(ImageUpload upload, String name) {
        return new ImageSource(null, null, name, null, true, upload);
    }

    /**
     * The image in {@code file}, named by its file name. The file is read at submit (a missing or unreadable one fails
     * the submit with {@code io_error}), so it may change or go once the submit returns.
     */
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

    /** The file, or null when this source is in memory, a URL or an upload. */
    public Path file() {
        return file;
    }

    /** The upload whose bytes a submit takes over, or null when this source is something else. */
    public ImageUpload upload() {
        return upload;
    }

    /** This source as the job intake takes it. */
    ImageInput input() {
        if (upload != null && upload.sha256() == null) {
            throw new IllegalStateException("an upload's source() must end its writing before it is submitted");
        }
        return new ImageInput(name, bytes, handedOver, file, url, upload == null ? null
                : new ImageInput.Upload(upload.incoming(), upload.size(), upload.sha256()));
    }

    /** Each of {@code sources} as the job intake takes it. */
    static List<ImageInput> inputs(List<ImageSource> sources) {
        return Objects.requireNonNull(sources, "sources").stream()
                .map(source -> Objects.requireNonNull(source, "sources contains null").input()).toList();
    }
}
