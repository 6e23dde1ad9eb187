package io.thumbnail.internal.image.header;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;

import java.nio.charset.StandardCharsets;

/** Recognises an image format from its first bytes; file names and declared content types are never trusted. */
public final class FormatSniffer {
    /** How much of the start is looked at: the longest signature, and enough to tell markup from an image. */
    private static final int HEAD_BYTES = 256;
    /** Every refusal of a format ends the same way, for a library's caller as for an HTTP client. */
    static final String SUPPORTED = "the formats read are JPEG, PNG, GIF, WebP, TIFF, BMP and WBMP";

    private FormatSniffer() {
    }

    public static ImageFormat sniff(byte[] data) {
        return sniff(ImageBytes.of(data));
    }

    /** As {@link #sniff(byte[])}; reads only the first bytes (and, for WBMP, the length). */
    public static ImageFormat sniff(ImageBytes data) {
        if (data.length() == 0) {
            throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT, "the file is empty");
        }
        byte[] b = data.head(HEAD_BYTES);
        if (starts(b, 0xFF, 0xD8)) {
            return ImageFormat.JPEG;
        }
        if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return ImageFormat.PNG;
        }
        if (HeaderBytes.ascii(b, 0, "GIF87a") || HeaderBytes.ascii(b, 0, "GIF89a")) {
            return ImageFormat.GIF;
        }
        if (HeaderBytes.ascii(b, 0, "BM") && data.length() >= 26) {
            return ImageFormat.BMP;
        }
        if (starts(b, 'I', 'I', 42, 0) || starts(b, 'M', 'M', 0, 42) || starts(b, 'I', 'I', 43, 0) || starts(b, 'M', 'M', 0, 43)) {
            return ImageFormat.TIFF;
        }
        if (HeaderBytes.ascii(b, 0, "RIFF") && HeaderBytes.ascii(b, 8, "WEBP")) {
            return ImageFormat.WEBP;
        }
        if (HeaderBytes.ascii(b, 4, "ftyp")) {
            throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT,
                    "HEIF/AVIF images are not supported; " + SUPPORTED);
        }
        if (looksLikeText(b)) {
            throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT,
                    "the file is text (SVG, HTML or similar), not a raster image; " + SUPPORTED);
        }
        if (WbmpHeaderReader.size(data) != null) {
            return ImageFormat.WBMP;
        }
        throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT,
                "the file is not an image in a supported format; " + SUPPORTED);
    }

    private static boolean looksLikeText(byte[] b) {
        int n = Math.min(b.length, HEAD_BYTES);
        String head = new String(b, 0, n, StandardCharsets.ISO_8859_1).trim().toLowerCase();
        return head.startsWith("<") || head.startsWith("\ufeff<") || head.startsWith("\u00ef\u00bb\u00bf<");
    }

    private static boolean starts(byte[] b, int... sig) {
        if (b.length < sig.length) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if ((b[i] & 0xFF) != (sig[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }
}
