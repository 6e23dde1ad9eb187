package io.thumbnail.server.internal.http;

import java.util.UUID;

/** The API's URLs, in one place so views, Location headers and routes agree. */
public final class Paths {
    public static final String THUMBNAILS = "/api/v1/thumbnails";
    public static final String BATCHES = "/api/v1/batches";

    private Paths() {
    }

    public static String thumbnail(UUID id) {
        return THUMBNAILS + "/" + id;
    }

    public static String thumbnailFile(UUID id) {
        return thumbnail(id) + "/file";
    }

    public static String batch(UUID id) {
        return BATCHES + "/" + id;
    }
}
