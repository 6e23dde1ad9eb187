package io.thumbnail;

import java.util.Locale;

/** An image encoding recognised from its bytes. */
public enum ImageFormat {
    JPEG("image/jpeg", "jpg"),
    PNG("image/png", "png"),
    GIF("image/gif", "gif"),
    BMP("image/bmp", "bmp"),
    WBMP("image/vnd.wap.wbmp", "wbmp"),
    TIFF("image/tiff", "tif"),
    WEBP("image/webp", "webp");

    private final String mimeType;
    private final String extension;

    ImageFormat(String mimeType, String extension) {
        this.mimeType = mimeType;
        this.extension = extension;
    }

    /** The lower-case wire name, for example {@code jpeg}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String mimeType() {
        return mimeType;
    }

    /** The usual file extension without a dot, for example {@code jpg}. */
    public String extension() {
        return extension;
    }

    /** Looks up a format by its {@link #id()}. */
    public static ImageFormat fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
