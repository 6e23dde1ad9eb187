package io.thumbnail.internal.image.jpeg;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.image.header.JpegMarkers;

import java.nio.ByteBuffer;

/**
 * The bound on a progressive JPEG's scans. Each scan is a pass over every block of the image, and a file of a few
 * hundred kilobytes may hold thousands of legal scans that are almost empty: a 4000x4000 image of 2646 scans keeps the
 * JDK's decoder busy for minutes, in native code that no interrupt stops. Encoders write about ten (libjpeg's and
 * mozjpeg's scripts; jpegtran takes no script of more than a hundred); so a progressive JPEG whose scans times its
 * pixels pass {@value #MAX_SCAN_PIXELS} (a hundred scans of a 20 MP photo), or that has more than {@value #MAX_SCANS}
 * scans at any size, is refused before those scans are decoded. Each scan costs a few nanoseconds per pixel, so the
 * work let through stays within a few times that of the largest ordinary progressive photo. A thumbnail small enough
 * to be made from the DC scans alone skips the others unread, and the bound does not apply to it. A sequential JPEG
 * has at most one scan per component and is not looked at.
 */
final class JpegScans {
    /** Scans times pixels a progressive JPEG may have. */
    static final long MAX_SCAN_PIXELS = 2_000_000_000L;
    /** Scans a progressive JPEG may have, however small: each costs its own set-up, whatever its size. */
    static final int MAX_SCANS = 100;

    private JpegScans() {
    }

    /** The scans a progressive JPEG of {@code width} x {@code height} may have. */
    static int allowed(int width, int height) {
        long pixels = Math.max(1L, (long) width * height);
        return (int) Math.max(1, Math.min(MAX_SCANS, MAX_SCAN_PIXELS / pixels));
    }

    /**
     * Refuses with {@code unsupported_format} (as other JPEGs this service does not decode) a progressive JPEG (the
     * buffer's bytes from 0 to its limit) with more scans than {@link #allowed}; any other JPEG, or one whose markers
     * cannot be followed (the decoder reports those), passes. Reads the whole file of a progressive JPEG, but no more
     * than it takes to count one scan past the bound.
     */
    static void check(ByteBuffer jpeg, int width, int height) {
        int allowed = allowed(width, height);
        long scans = count(jpeg, allowed + 1L);
        if (scans > allowed) {
            throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT, "progressive JPEGs with more than " + allowed
                    + " scans at " + width + "x" + height + " are not supported (each scan is a pass over the image;"
                    + " scans times pixels at most " + MAX_SCAN_PIXELS + ", and at most " + MAX_SCANS + " scans)");
        }
    }

    /** The scans of a progressive JPEG, counted up to {@code most}; 0 for any other JPEG. */
    static long count(ByteBuffer d, long most) {
        JpegSegments segments = JpegSegments.afterSoi(d);
        if (segments == null) {
            return 0;
        }
        boolean progressive = false;
        long scans = 0;
        int marker;
        while ((marker = segments.next()) != JpegSegments.END && marker != JpegMarkers.EOI) {
            if (JpegMarkers.isFrame(marker)) {
                progressive = marker == JpegMarkers.SOF2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
            } else if (marker == JpegMarkers.SOS) {
                if (!progressive) {
                    return 0;
                }
                if (++scans >= most) {
                    return scans;
                }
                segments.resumeAt(EntropyData.skip(d, segments.end()));
            }
        }
        return scans;
    }
}
