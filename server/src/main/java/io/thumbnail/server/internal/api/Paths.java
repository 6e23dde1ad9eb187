package io.thumbnail.server.internal.api;

import java.util.UUID;

/** The API's URLs, in one place so views, Location headers and routes agree. */
public final class Paths {
    public static final String THUMBNAILS = "/api/v1/thumbnails";
    public static final String BATCHES = "/api/v1/batches";
    /** What follows a job's path to ask for a signed URL of its file. */
    public static final String SIGNED_URL = "/signed-url";

    private Paths() {
    }

    public static String thumbnail(UUID id) {
        return THUMBNAILS + "/" + id;
    }

    public static String thumbnailFile(UUID id) {
        return thumbnail(id) + "/file";
    }

    /** Whether {@code path} has the shape of a thumbnail file's path (its id not checked). */
    public static boolean isThumbnailFile(String path) {
        return path.startsWith(THUMBNAILS + "/") && path.endsWith("/file")
                && path.indexOf('/', THUMBNAILS.length() + 1) == path.length() - "/file".length();
    }

    public static String batch(UUID id) {
        return BATCHES + "/" + id;
    }
}
