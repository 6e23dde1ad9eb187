package io.thumbnail.server.internal.http;

import io.javalin.http.Context;
import io.thumbnail.ErrorCode;
import io.thumbnail.ImageSource;
import io.thumbnail.ImageUpload;
import io.thumbnail.ThumbnailException;
import io.thumbnail.server.internal.security.UploadAdmission;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Receives what {@code POST /api/v1/thumbnails} carries, through a {@link BodyReader} so that no thread waits on it:
 * the file parts of a multipart body (whatever their names, see {@link MultipartBody}) or a raw body with an image
 * Content-Type, each streamed into an {@link ImageUpload} (a file in the data directory, never the heap), or a JSON
 * body naming URLs (at most {@value #MAX_JSON_BYTES} bytes, in memory). The size limit is enforced while the body streams in.
 */
public final class UploadReader {
    /** How far over the limit a declared body may be and still be read (and thrown away) before the refusal. */
    static final long MAX_DISCARDED_BYTES = 64L << 20;
    /** The largest JSON body read; 100 long URLs fit many times over. */
    static final int MAX_JSON_BYTES = 1024 * 1024;

    private final long maxBytes;
    private final int maxParts;
    private final int maxHeaderBytes;
    private final BodyReader bodies;
    private final Supplier<ImageUpload> uploads;

    /** @param uploads makes the upload a body or part streams into ({@code service::newUpload}) */
    public UploadReader(long maxBytes, int maxParts, int maxHeaderBytes, BodyReader bodies,
                        Supplier<ImageUpload> uploads) {
        this.maxBytes = maxBytes;
        this.maxParts = maxParts;
        this.maxHeaderBytes = maxHeaderBytes;
        this.bodies = bodies;
        this.uploads = uploads;
    }

    /** A body received whole. Closing it deletes the uploads no submit took. */
    public static final class Received implements AutoCloseable {
        private final List<MultipartBody.FilePart> files;
        private final Map<String, String> fields;
        private final byte[] json;

        private Received(List<MultipartBody.FilePart> files, Map<String, String> fields, byte[] json) {
            this.files = files;
            this.fields = fields;
            this.json = json;
        }

        /** The JSON body of a URL request, or null for an upload. */
        public byte[] json() {
            return json;
        }

        /** The form fields of a multipart upload (empty for other bodies). */
        public Map<String, String> fields() {
            return fields;
        }

        /** The uploaded images as sources; this forces each file to disk, so call it where blocking is fine. */
        public List<ImageSource> sources() {
            return files.stream().map(part -> part.upload().source(part.filename())).toList();
        }

        @Override
        public void close() {
            files.forEach(part -> part.upload().close());
        }
    }

    /**
     * Answers {@code refusal} to a request whose body is not wanted. A client that sends its body without waiting for
     * an answer (the JDK's HttpClient; curl without {@code Expect: 100-continue}) would have its writes fail once
     * Jetty closes a connection with the body unread, and may then drop the answer unread too; so a declared body of
     * at most {@value #MAX_DISCARDED_BYTES} bytes over the limit is read and thrown away first, with no thread waiting
     * on it. A client that asked {@code Expect: 100-continue} is answered at once: it has sent nothing.
     */
    public void refuse(Context ctx, RuntimeException refusal) {
        long declared = ctx.req().getContentLengthLong();
        if (declared <= 0 || declared - maxBytes > MAX_DISCARDED_BYTES
                || "100-continue".equalsIgnoreCase(ctx.header("Expect"))) {
            throw refusal;
        }
        ctx.future(() -> bodies.read(ctx.req(), Long.MAX_VALUE, "", null, chunk -> { })
                .handle((read, failure) -> {
                    throw refusal;
                }));
    }

    /**
     * What can be refused before any of the body is read: a declared length over the limit ({@code too_large}), a
     * Content-Type other than JSON, multipart or an image ({@code unsupported_format}), a {@code filename} longer
     * than a name may be ({@code invalid_request}). See {@link #refuse} for answering these.
     */
    public void checkBeforeReading(Context ctx) {
        if (ctx.req().getContentLengthLong() > maxBytes) {
            throw tooLarge();
        }
        String encoding = ctx.header("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            // Its bytes are not the image: decoding them would fail as "not an image", naming the wrong problem.
            throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT, "Content-Encoding '"
                    + RequestParams.abbreviated(encoding) + "' is not taken; send the body as it is");
        }
        if (UrlRequestReader.isJson(ctx) || ctx.isMultipartFormData()) {
            if (ctx.queryParam("filename") != null) {
                throw RequestParams.invalid("filename names a raw upload's image; "
                        + (ctx.isMultipartFormData() ? "a multipart part carries its own file name"
                        : "a URL source is named by its URL"));
            }
            return;
        }
        String type = UrlRequestReader.contentType(ctx);
        if (!type.startsWith("image/") && !type.startsWith("application/octet-stream")) {
            throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT, "send multipart/form-data with file parts,"
                    + " the image itself as image/* or application/octet-stream, or application/json naming image URLs ("
                    + (type.isEmpty() ? "no Content-Type was sent" : "was '"
                    + RequestParams.abbreviated(ctx.header("Content-Type").strip()) + "'") + ")");
        }
        String filename = ctx.queryParam("filename");
        if (filename != null && filename.getBytes(StandardCharsets.UTF_8).length > ImageSource.MAX_NAME_BYTES) {
            throw RequestParams.invalid("filename may be at most " + ImageSource.MAX_NAME_BYTES
                    + " bytes long (UTF-8)");
        }
    }

    /**
     * Receives the body of {@code ctx} (in async mode: inside {@code ctx.future}); the future completes once it is
     * all there, on the {@link BodyReader}'s executor.
     */
    public CompletableFuture<Received> read(Context ctx, UploadAdmission.Ticket ticket) {
        if (UrlRequestReader.isJson(ctx)) {
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            return bodies.read(ctx.req(), MAX_JSON_BYTES, "a JSON request body may be at most " + MAX_JSON_BYTES
                            + " bytes", ticket, chunk -> json.write(chunk.array(), chunk.arrayOffset() + chunk.position(),
                            chunk.remaining()))
                    .thenApply(done -> new Received(List.of(), Map.of(), json.toByteArray()));
        }
        if (ctx.isMultipartFormData()) {
            MultipartBody multipart = new MultipartBody(ctx.header("Content-Type"), maxParts, maxHeaderBytes, uploads);
            return closingOnFailure(bodies.read(ctx.req(), maxBytes, tooLargeMessage(), ticket, multipart)
                    .thenApply(done -> new Received(multipart.files(), multipart.fields(), null)), multipart);
        }
        ImageUpload upload = uploads.get();
        Received raw = new Received(List.of(new MultipartBody.FilePart(upload, ctx.queryParam("filename"))), Map.of(),
                null);
        return closingOnFailure(bodies.read(ctx.req(), maxBytes, tooLargeMessage(), ticket, new BodyReader.Sink() {
            @Override
            public void accept(ByteBuffer chunk) {
                upload.write(chunk);
            }

            @Override
            public void end() {
                if (upload.size() == 0) {
                    throw RequestParams.invalid("the request body is empty; send the image bytes");
                }
            }
        }).thenApply(done -> raw), raw);
    }

    private static <T> CompletableFuture<T> closingOnFailure(CompletableFuture<T> future, AutoCloseable resources) {
        return future.whenComplete((value, failure) -> {
            if (failure != null) {
                try {
                    resources.close();
                } catch (Exception e) {
                    // closing uploads deletes files; one left behind goes at the next start
                }
            }
        });
    }

    private ThumbnailException tooLarge() {
        return new ThumbnailException(ErrorCode.TOO_LARGE, tooLargeMessage());
    }

    /** The words of {@link #tooLarge}, for a body that proves too large only as it arrives. */
    private String tooLargeMessage() {
        return "the upload is larger than the limit of " + maxBytes + " bytes";
    }
}
