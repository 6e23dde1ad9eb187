package io.thumbnail.internal.image.header;

import io.thumbnail.ErrorCode;
import io.thumbnail.Limits;
import io.thumbnail.ThumbnailException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * An image's encoded bytes read whole into memory, never more than the byte limit lets through: a regular file is
 * measured before it is read; a stream, a device or a pipe, which has no size to measure ({@code /dev/zero} would be
 * read without end), is read to at most one byte past the limit. One array holds at most {@value #MAX_ARRAY} bytes,
 * so a larger limit (such as {@code Long.MAX_VALUE} for "no limit") reads as if it were that. Every failure is a
 * {@link ThumbnailException}: {@code too_large} past a limit, {@code io_error} for the file system's refusals.
 */
public final class SourceBytes {
    /** The longest array the JVM allocates. */
    public static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private SourceBytes() {
    }

    /** All of {@code file}, a regular file or anything else that can be opened for reading but a folder. */
    public static byte[] read(Path file, Limits limits) {
        try {
            if (Files.isDirectory(file)) {
                throw new ThumbnailException(ErrorCode.IO_ERROR, file + " is a directory, not an image file");
            }
            if (!Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    return readBounded(in, limits);
                }
            }
            long size = Files.size(file);
            SourceCheck.size(size, limits);
            if (size > MAX_ARRAY) {
                throw beyondArray(size + " bytes");
            }
            byte[] data = Files.readAllBytes(file);
            SourceCheck.size(data.length, limits);
            return data;
        } catch (NoSuchFileException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "no such file: " + file, e);
        } catch (IOException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not read " + file + ": " + reason(e), e);
        }
    }

    /** All of {@code in} (left open), read to at most one byte past the limit. */
    public static byte[] read(InputStream in, Limits limits) {
        try {
            return readBounded(in, limits);
        } catch (IOException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not read the image: " + reason(e), e);
        }
    }

    private static byte[] readBounded(InputStream in, Limits limits) throws IOException {
        long max = limits.maxInputBytes();
        byte[] data;
        try {
            data = in.readNBytes(max >= MAX_ARRAY ? MAX_ARRAY : (int) max + 1);
        } catch (OutOfMemoryError e) {
            throw new ThumbnailException(ErrorCode.TOO_LARGE, "the image does not fit in this JVM's memory; "
                    + "the byte limit is " + max);
        }
        if (data.length > max) {
            // Read to one byte past the limit: the stream's length is not known, only that it is longer.
            throw new ThumbnailException(ErrorCode.TOO_LARGE, "the image is more than " + max + " bytes; the limit is "
                    + max);
        }
        if (data.length == MAX_ARRAY && in.read() != -1) {
            throw beyondArray("more than " + MAX_ARRAY + " bytes");
        }
        return data;
    }

    private static ThumbnailException beyondArray(String size) {
        return new ThumbnailException(ErrorCode.TOO_LARGE, "the image is " + size + "; at most " + MAX_ARRAY
                + " bytes are read into memory");
    }

    /**
     * Why reading failed, in the operating system's words: a file system exception's reason (its message is the path
     * and then the reason), and for an {@link AccessDeniedException}, which carries only the path, the words the
     * system has for it.
     */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return e instanceof FileSystemException || e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getMessage();
    }
}
