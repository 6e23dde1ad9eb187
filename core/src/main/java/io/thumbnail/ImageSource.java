package io.thumbnail;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An image handed to the service: bytes already in memory, or a file. (URL sources come with a later issue.)
 *
 * <pre>{@code
 * ImageSource.of(bytes, "cat.jpg");      // the name is kept for display and downloads, never trusted for the format
 * ImageSource.of(Path.of("cat.jpg"));
 * }</pre>
 */
public final class ImageSource {
    private final byte[] bytes;
    private final Path file;
    private final String name;

    private ImageSource(byte[] bytes, Path file, String name) {
        this.bytes = bytes;
        this.file = file;
        this.name = name;
    }

    public static ImageSource of(byte[] bytes, String name) {
        return new ImageSource(Objects.requireNonNull(bytes, "bytes"), null, name);
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

    /** The in-memory bytes, or null when this source is a file. */
    public byte[] bytes() {
        return bytes;
    }

    /** The file, or null when this source is in memory. */
    public Path file() {
        return file;
    }
}
