package io.thumbnail.server.internal;

import io.javalin.http.Context;
import io.thumbnail.ErrorCode;
import io.thumbnail.ImageSource;
import io.thumbnail.ThumbnailException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns an upload into image sources: the file parts of a multipart body, or a raw body with an image Content-Type.
 * The size limit is enforced while the body streams in (Jetty's multipart limits, a counted read for raw
 * bodies), so an oversized upload is refused without being buffered.
 */
public final class UploadReader {
    /** The most of one multipart part kept in memory; see {@link #inMemoryPartBytes}. */
    static final int MAX_IN_MEMORY_PART_BYTES = 8 << 20;
    /** How far over the limit a declared body may be and still be read (and thrown away) before the 413. */
    static final long MAX_DISCARDED_BYTES = 64L << 20;

    private final long maxBytes;

    public UploadReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * How large a multipart part Jetty keeps in memory rather than in a temp file: parts up to this size (typical
     * photos) skip the write to disk and the read back. The handler copies every part into a heap array anyway, so
     * this at most doubles the heap an upload holds while it is read; the bound (8 MB, at most 1/32 of the heap,
     * never above the upload limit) keeps a few hundred concurrent uploads from filling the heap with buffers.
     */
    public static int inMemoryPartBytes(long maxUploadBytes) {
        long heapShare = Runtime.getRuntime().maxMemory() / 32;
        return (int) Math.max(1, Math.min(Math.min(maxUploadBytes, heapShare), MAX_IN_MEMORY_PART_BYTES));
    }

    /**
     * Refuses a body whose declared length is over the limit; none of it is kept. A client that sends its body
     * without waiting for an answer (the JDK's HttpClient; curl without {@code Expect: 100-continue}) would have its
     * writes fail once Jetty closes a connection with the body unread, and may then drop the 413 unread too; so a body
     * at most {@value #MAX_DISCARDED_BYTES} bytes over the limit is read and thrown away first (the minimum upload
     * rate and idle timeout still cut off a client that stalls). A client that asked {@code Expect: 100-continue} is
     * answered at once: it has sent nothing and will send nothing.
     */
    public void checkDeclaredLength(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            if (declared - maxBytes <= MAX_DISCARDED_BYTES && !"100-continue".equalsIgnoreCase(ctx.header("Expect"))) {
                discardBody(ctx);
            }
            throw tooLarge();
        }
    }

    private static void discardBody(Context ctx) {
        byte[] chunk = new byte[64 * 1024];
        try {
            InputStream in = ctx.req().getInputStream();
            while (in.read(chunk) != -1) {
                // thrown away
            }
        } catch (IOException e) {
            // The client went away or stalled: the answer goes out as it can, and the connection closes.
        }
    }

    public List<ImageSource> read(Context ctx) {
        checkDeclaredLength(ctx);
        return ctx.isMultipartFormData() ? multipart(ctx) : raw(ctx);
    }

    private List<ImageSource> multipart(Context ctx) {
        List<Part> files = fileParts(ctx);
        if (files.isEmpty()) {
            throw RequestParams.invalid("a multipart upload needs at least one file part, named 'file', 'image' or"
                    + " anything else (a part with a filename or an image Content-Type)");
        }
        List<ImageSource> sources = new ArrayList<>(files.size());
        for (Part file : files) {
            try (InputStream in = file.getInputStream()) {
                sources.add(ImageSource.handOver(readBounded(in, file.getSize()), file.getSubmittedFileName()));
            } catch (IOException e) {
                throw unreadable();
            }
        }
        return sources;
    }

    /**
     * The parts that carry an image, in order, whatever their names (clients send {@code file}, {@code image},
     * {@code image_data}...): those with a filename or an image Content-Type. Any other part is a form field.
     */
    private static List<Part> fileParts(Context ctx) {
        // Javalin parses the body here, under the multipart limits configured on the server.
        ctx.uploadedFiles();
        try {
            return ctx.req().getParts().stream()
                    .filter(part -> part.getSubmittedFileName() != null || isImageType(part.getContentType()))
                    .toList();
        } catch (IOException | ServletException e) {
            throw new IllegalStateException("the multipart parts could not be read", e);
        }
    }

    private static boolean isImageType(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("image/");
    }

    private List<ImageSource> raw(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("image/") && !type.startsWith("application/octet-stream")) {
            throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT, "send multipart/form-data with file parts,"
                    + " or the image itself with an image/* Content-Type (was '" + ctx.contentType() + "')");
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            // Not sized by Content-Length: a client could claim the limit and send one byte, and hold that much heap.
            bytes = readBounded(in, -1);
        } catch (IOException e) {
            throw unreadable();
        }
        if (bytes.length == 0) {
            throw RequestParams.invalid("the request body is empty; send the image bytes");
        }
        return List.of(ImageSource.handOver(bytes, ctx.queryParam("filename")));
    }

    /**
     * Reads at most the limit; one byte more and the upload is refused before the rest arrives. With the length
     * known ({@code expected} >= 0: a multipart part Jetty has already received whole) the bytes go straight into
     * an array of that size, so a multi-MB upload is not copied again out of a growing buffer.
     */
    private byte[] readBounded(InputStream in, long expected) throws IOException {
        if (expected > maxBytes) {
            throw tooLarge();
        }
        if (expected >= 0 && expected <= Integer.MAX_VALUE - 8) {
            byte[] bytes = new byte[(int) expected];
            if (in.readNBytes(bytes, 0, bytes.length) < bytes.length) {
                throw unreadable();
            }
            if (in.read() != -1) {
                // More than announced: only a broken body does that; refuse it rather than trust either length.
                throw unreadable();
            }
            return bytes;
        }
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
