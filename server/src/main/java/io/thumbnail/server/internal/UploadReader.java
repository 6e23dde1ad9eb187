package io.thumbnail.server.internal;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.thumbnail.ErrorCode;
import io.thumbnail.ImageSource;
import io.thumbnail.ThumbnailException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns an upload into image sources: multipart {@code file} parts, or a raw body with an image Content-Type.
 * The size limit is enforced while the body streams in (Jetty's multipart limits, a counted read for raw
 * bodies), so an oversized upload is refused without being buffered.
 */
public final class UploadReader {
    private final long maxBytes;

    public UploadReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Refuses a body whose declared length is over the limit before a byte of it is read. */
    public void checkDeclaredLength(Context ctx) {
        if (ctx.req().getContentLengthLong() > maxBytes) {
            throw tooLarge();
        }
    }

    public List<ImageSource> read(Context ctx) {
        checkDeclaredLength(ctx);
        return ctx.isMultipartFormData() ? multipart(ctx) : raw(ctx);
    }

    private List<ImageSource> multipart(Context ctx) {
        List<UploadedFile> files = ctx.uploadedFiles("file");
        if (files.isEmpty()) {
            throw RequestParams.invalid("a multipart upload needs at least one part named 'file'");
        }
        List<ImageSource> sources = new ArrayList<>(files.size());
        for (UploadedFile file : files) {
            try (InputStream in = file.content()) {
                sources.add(ImageSource.of(readBounded(in), file.filename()));
            } catch (IOException e) {
                throw unreadable();
            }
        }
        return sources;
    }

    private List<ImageSource> raw(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("image/") && !type.startsWith("application/octet-stream")) {
            throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT, "send multipart/form-data with 'file' parts,"
                    + " or the image itself with an image/* Content-Type (was '" + ctx.contentType() + "')");
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = readBounded(in);
        } catch (IOException e) {
            throw unreadable();
        }
        if (bytes.length == 0) {
            throw RequestParams.invalid("the request body is empty; send the image bytes");
        }
        return List.of(ImageSource.of(bytes, ctx.queryParam("filename")));
    }

    /** Reads at most the limit; one byte more and the upload is refused before the rest arrives. */
    private byte[] readBounded(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(chunk)) != -1; ) {
            total += n;
            if (total > maxBytes) {
                throw tooLarge();
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    /** Why the read failed (a client gone, a timeout) is for the log, not for the client. */
    private static ThumbnailException unreadable() {
        return new ThumbnailException(ErrorCode.INVALID_REQUEST,
                "could not read the upload: the body ended early, was malformed or arrived too slowly");
    }

    private ThumbnailException tooLarge() {
        return new ThumbnailException(ErrorCode.TOO_LARGE, "the upload is larger than the limit of " + maxBytes + " bytes");
    }
}
