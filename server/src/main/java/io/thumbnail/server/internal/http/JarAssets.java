package io.thumbnail.server.internal.http;

import io.javalin.http.Context;
import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fixed set of files from the jar, read once and served from memory by name: a static-files handler would mount
 * the whole jar as a file system at startup, and a fixed set cannot be asked for anything else.
 */
public final class JarAssets {
    public static final String CSS = "text/css; charset=utf-8";
    public static final String JS = "text/javascript; charset=utf-8";

    private record Asset(String contentType, byte[] bytes) {
    }

    private final String what;
    private final Map<String, Asset> assets = new LinkedHashMap<>();

    /**
     * @param what      what the files are, for the 404 message ("docs asset")
     * @param directory the resource folder they are in ("/docs/assets")
     * @param types     file name to content type
     */
    public JarAssets(String what, String directory, Map<String, String> types) {
        this.what = what;
        types.forEach((name, type) -> assets.put(name, new Asset(type, read(directory + "/" + name))));
    }

    /** Answers the file the {@code name} path parameter names, with {@code headers}; 404 for any other name. */
    public void serve(Context ctx, Map<String, String> headers) {
        String name = ctx.pathParam("name");
        Asset asset = assets.get(name);
        if (asset == null) {
            throw new ThumbnailException(ErrorCode.NOT_FOUND, "no " + what + " named '" + name + "'");
        }
        headers.forEach(ctx::header);
        ctx.contentType(asset.contentType()).result(asset.bytes());
    }

    /** One resource's bytes; a missing one is a broken build, so it fails startup. */
    public static byte[] read(String resource) {
        try (InputStream in = JarAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
