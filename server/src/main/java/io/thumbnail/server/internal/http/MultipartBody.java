package io.thumbnail.server.internal.http;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageSource;
import io.thumbnail.ImageUpload;
import io.thumbnail.ThumbnailException;
import io.thumbnail.server.internal.security.RequestRefused;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A {@code multipart/form-data} body parsed as it arrives (Jetty's push parser): each image part streams into an
 * {@link ImageUpload} of its own, so no part is ever held in memory. A part is an image when it has a filename or an
 * image Content-Type, whatever its name (clients send {@code file}, {@code image}, {@code image_data}...); a part with
 * neither is a form field. Form fields (the thumbnail options) are kept,
 * {@value #MAX_FIELD_BYTES} bytes of them at most; anything else is dropped. Not thread-safe: the
 * {@link BodyReader} hands it one chunk at a time.
 */
public final class MultipartBody extends MultiPart.AbstractPartsListener implements BodyReader.Sink, AutoCloseable {
    /** The most bytes all form fields together may hold: options are a few short values. */
    static final int MAX_FIELD_BYTES = 64 * 1024;

    /** An image part: its upload and the file name the client gave. */
    public record FilePart(ImageUpload upload, String filename) {
    }

    private final MultiPart.Parser parser;
    private final Supplier<ImageUpload> uploads;
    private final int maxParts;
    private final List<FilePart> files = new ArrayList<>();
    /** Whether the filename of the file part being read is empty. */
    private boolean emptyName;
    private final Map<String, String> fields = new LinkedHashMap<>();
    /** A form field sent twice, if any: one value would be dropped without a word. */
    private String repeated;
    private int parts;
    private long fieldBytes;
    private ImageUpload file;
    private String contentType;
    private ByteArrayOutputStream field;
    private RuntimeException failure;
    private boolean complete;

    /**
     * @param uploads makes the upload an image part streams into
     * @throws ThumbnailException {@code invalid_request} when the content type names no boundary
     */
    public MultipartBody(String contentType, int maxParts, int maxHeaderBytes, Supplier<ImageUpload> uploads) {
        // Parameter names are case-insensitive (RFC 9110); Jetty finds only "boundary=" in lower case.
        String boundary = MultiPart.extractBoundary(contentType == null ? null
                : contentType.replaceAll("(?i);\\s*boundary\\s*=", "; boundary="));
        if (boundary == null || boundary.isEmpty()) {
            throw RequestParams.invalid("a multipart upload needs a boundary in its Content-Type");
        }
        this.parser = new MultiPart.Parser(boundary, this);
        this.parser.setPartHeadersMaxLength(maxHeaderBytes);
        // Its own count would refuse first, as malformed; this one says what the limit is.
        this.parser.setMaxParts(maxParts + 1L);
        this.uploads = uploads;
        this.maxParts = maxParts;
    }

    /**
     * A file name as the user named it: browsers (WHATWG's multipart encoding) send a quote as {@code %22} and CR, LF
     * as {@code %0D}, {@code %0A}, and nothing else percent-encoded.
     */
    static String browserDecoded(String filename) {
        return filename == null ? null
                : filename.replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n");
    }

    /** A Content-Type a form field (text) does not have: an empty part of it is a file input left empty. */
    private static boolean isFileType(String contentType) {
        return contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith("text/");
    }

    /** Whether a part is an image to make a thumbnail of: it has a filename or an image Content-Type. */
    static boolean isImage(String filename, String contentType) {
        return filename != null || contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("image/");
    }

    @Override
    public void accept(ByteBuffer chunk) {
        parse(Content.Chunk.from(chunk, false));
    }

    @Override
    public void end() {
        parse(Content.Chunk.EOF);
        if (!complete) {
            throw malformed("the multipart body ended before its closing boundary");
        }
        if (files.isEmpty()) {
            throw RequestParams.invalid("a multipart upload needs at least one file part, named 'file', 'image' or"
                    + " anything else (a part with a filename or an image Content-Type)");
        }
        if (repeated != null) {
            throw RequestParams.invalid("the form field '" + RequestParams.abbreviated(repeated)
                    + "' is given more than once; give each option once");
        }
    }

    private void parse(Content.Chunk chunk) {
        if (failure == null) {
            try {
                parser.parse(chunk);
            } catch (RuntimeException e) {
                fail(malformed("a part could not be parsed"));
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The image parts, in the order they came. */
    public List<FilePart> files() {
        return List.copyOf(files);
    }

    /** The form fields by name (the first of each name). */
    public Map<String, String> fields() {
        return Map.copyOf(fields);
    }

    @Override
    public void onPartBegin() {
        contentType = null;
        if (++parts > maxParts) {
            fail(new RequestRefused(413, ErrorCode.TOO_LARGE.id(), "a multipart upload may have at most " + maxParts
                    + " parts"));
        }
    }

    @Override
    public void onPartHeader(String name, String value) {
        super.onPartHeader(name, value);
        if ("content-type".equalsIgnoreCase(name)) {
            contentType = value;
        }
    }

    @Override
    public void onPartHeaders() {
        if (failure != null) {
            return;
        }
        String filename = browserDecoded(getFileName());
        if (isImage(filename, contentType)) {
            if (filename != null && filename.getBytes(StandardCharsets.UTF_8).length > ImageSource.MAX_NAME_BYTES) {
                fail(RequestParams.invalid("a file name may be at most " + ImageSource.MAX_NAME_BYTES
                        + " bytes long (UTF-8)"));
                return;
            }
            try {
                file = uploads.get();
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            files.add(new FilePart(file, filename));
            emptyName = filename != null && filename.isEmpty();
        } else if (filename == null && getName() != null) {
            field = new ByteArrayOutputStream();
        }
    }

    @Override
    public void onPartContent(Content.Chunk chunk) {
        if (failure != null) {
            return;
        }
        ByteBuffer bytes = chunk.getByteBuffer();
        try {
            if (file != null) {
                file.write(bytes);
            } else if (field != null) {
                fieldBytes += bytes.remaining();
                if (fieldBytes > MAX_FIELD_BYTES) {
                    throw new RequestRefused(413, ErrorCode.TOO_LARGE.id(), "the form fields of a multipart upload"
                            + " may hold at most " + MAX_FIELD_BYTES + " bytes");
                }
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                field.writeBytes(copy);
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    @Override
    public void onPart(String name, String filename, HttpFields headers) {
        if (file != null && emptyName && file.size() == 0) {
            // A file input left empty: a browser sends it as a part with an empty filename and no bytes.
            files.remove(files.size() - 1);
            file.close();
        }
        if (field != null && failure == null && field.size() == 0 && isFileType(contentType)) {
            // The same, from a client that leaves the filename out: no option, and no image.
            field = null;
        }
        if (field != null && failure == null) {
            if (fields.putIfAbsent(name, field.toString(StandardCharsets.UTF_8)) != null && repeated == null) {
                repeated = name;
            }
        }
        field = null;
        file = null;
    }

    @Override
    public void onComplete() {
        complete = true;
    }

    @Override
    public void onFailure(Throwable t) {
        fail(malformed(parts == 0 ? "it ended before its first boundary line, so it holds no part"
                : t.getMessage() == null ? "unreadable" : t.getMessage()));
    }

    private void fail(RuntimeException e) {
        if (failure == null) {
            failure = e;
        }
    }

    private static ThumbnailException malformed(String why) {
        return RequestParams.invalid("the multipart body is malformed (" + why + ")");
    }

    /** Deletes the uploads no submit took. */
    @Override
    public void close() {
        files.forEach(part -> part.upload().close());
    }
}
