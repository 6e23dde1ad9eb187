package io.thumbnail;

import java.util.Objects;

/**
 * What thumbnail to make. Immutable; validated at construction, so a spec that exists is a valid one.
 *
 * <pre>{@code
 * ThumbnailSpec.box(100, 100);                                  // inside 100x100, aspect kept
 * ThumbnailSpec.box(200, 200).withFit(Fit.COVER);               // exactly 200x200, centre-cropped
 * ThumbnailSpec.box(200, 200).withFit(Fit.COVER)
 *         .withGravity(Gravity.SMART);                          // exactly 200x200, cropped to what draws the eye
 * ThumbnailSpec.box(200, 200).withFit(Fit.COVER)
 *         .withFocus(new FocalPoint(0.3, 0.2));                 // the crop centred on a point near the top left
 * ThumbnailSpec.width(320).withFormat(OutputFormat.PNG);        // 320 wide, height from the aspect ratio
 * ThumbnailSpec.defaults();                                     // inside the default box, 100x100
 * }</pre>
 *
 * <p>A spec that names neither side gets the {@link #defaults() default box} of {@value #DEFAULT_WIDTH} x
 * {@value #DEFAULT_HEIGHT}: a thumbnail service asked for nothing but a thumbnail still makes one.
 *
 * @param width      the box width in pixels, or {@code null} to derive it from {@code height} and the aspect ratio
 *                   (both {@code null}: the default box)
 * @param height     the box height in pixels, or {@code null} to derive it from {@code width} and the aspect ratio
 *                   (both {@code null}: the default box)
 * @param fit        how the source fits the box (default {@link Fit#CONTAIN})
 * @param format     the output encoding (default {@link OutputFormat#AUTO})
 * @param quality    JPEG and WebP quality 1-100, or {@code null} for each format's default: {@value #DEFAULT_QUALITY}
 *                   for JPEG, {@value #DEFAULT_WEBP_QUALITY} for WebP, where WebP matched JPEG's SSIM (see
 *                   {@link #qualityFor})
 * @param upscale    whether a source smaller than the box may be enlarged (default false)
 * @param background RGB colour, {@code 0xRRGGBB}, that transparency is flattened onto for JPEG output (default white)
 * @param gravity    which part a {@link Fit#COVER cover} crop keeps (default {@link Gravity#CENTER}); any other
 *                   gravity needs fit cover
 * @param focus      the point a {@link Fit#COVER cover} crop is centred on instead of a gravity, or {@code null};
 *                   needs fit cover and the default gravity
 */
public record ThumbnailSpec(Integer width, Integer height, Fit fit, OutputFormat format, Integer quality,
                            boolean upscale, int background, Gravity gravity, FocalPoint focus) {
    public static final int MAX_SIDE = 32768;
    /** The JPEG quality when a spec names none. */
    public static final int DEFAULT_QUALITY = 85;
    /**
     * The WebP quality when a spec names none: the lowest at which libwebp's 400 px thumbnails of the benchmark photos
     * were on average as close (SSIM) to the pixels encoded as JPEG's at {@value #DEFAULT_QUALITY} (at 100 px a lower
     * one is), in about two thirds of the bytes.
     */
    public static final int DEFAULT_WEBP_QUALITY = 82;
    public static final int WHITE = 0xFFFFFF;
    /** The width of the box a spec naming no size gets. */
    public static final int DEFAULT_WIDTH = 100;
    /** The height of the box a spec naming no size gets. */
    public static final int DEFAULT_HEIGHT = 100;

    public ThumbnailSpec {
        if (width == null && height == null) {
            width = DEFAULT_WIDTH;
            height = DEFAULT_HEIGHT;
        }
        checkSide("width", width);
        checkSide("height", height);
        if (fit == null) {
            fit = Fit.CONTAIN;
        }
        if (format == null) {
            format = OutputFormat.AUTO;
        }
        if ((fit == Fit.COVER || fit == Fit.FILL) && (width == null || height == null)) {
            throw invalid("fit " + fit.id() + " needs both width and height (only contain works with one side)");
        }
        if (quality != null && (quality < 1 || quality > 100)) {
            throw invalid("quality must be between 1 and 100 (was " + quality + ")");
        }
        if ((background & ~0xFFFFFF) != 0) {
            throw invalid("background must be an RGB colour 0x000000-0xFFFFFF (was 0x" + Integer.toHexString(background) + ")");
        }
        if (gravity == null) {
            gravity = Gravity.CENTER;
        }
        // Refused rather than ignored: an option that cannot take effect means the caller expects another thumbnail.
        if (gravity != Gravity.CENTER && fit != Fit.COVER) {
            throw invalid("gravity " + gravity.id() + " needs fit cover: only cover crops (fit was " + fit.id() + ")");
        }
        if (focus != null && fit != Fit.COVER) {
            throw invalid("focus needs fit cover: only cover crops (fit was " + fit.id() + ")");
        }
        if (focus != null && gravity != Gravity.CENTER) {
            throw invalid("give either gravity or focus, not both (gravity " + gravity.id() + ", focus " + focus + ")");
        }
    }

    /** A spec whose cover crops, if any, keep the centre. */
    public ThumbnailSpec(Integer width, Integer height, Fit fit, OutputFormat format, Integer quality, boolean upscale,
                         int background) {
        this(width, height, fit, format, quality, upscale, background, Gravity.CENTER, null);
    }

    /** The default thumbnail: inside a box of {@value #DEFAULT_WIDTH} x {@value #DEFAULT_HEIGHT}, otherwise as {@link #box}. */
    public static ThumbnailSpec defaults() {
        return box(DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    /** A box of {@code width} x {@code height}, fit {@code contain}, format {@code auto}, each format's default quality. */
    public static ThumbnailSpec box(int width, int height) {
        return new ThumbnailSpec(width, height, Fit.CONTAIN, OutputFormat.AUTO, null, false, WHITE);
    }

    /** A given width; the height follows from the aspect ratio. */
    public static ThumbnailSpec width(int width) {
        return new ThumbnailSpec(width, null, Fit.CONTAIN, OutputFormat.AUTO, null, false, WHITE);
    }

    /** A given height; the width follows from the aspect ratio. */
    public static ThumbnailSpec height(int height) {
        return new ThumbnailSpec(null, height, Fit.CONTAIN, OutputFormat.AUTO, null, false, WHITE);
    }

    public ThumbnailSpec withFit(Fit fit) {
        Objects.requireNonNull(fit, "fit");
        return new ThumbnailSpec(width, height, fit, format, quality, upscale, background, gravity, focus);
    }

    public ThumbnailSpec withFormat(OutputFormat format) {
        Objects.requireNonNull(format, "format");
        return new ThumbnailSpec(width, height, fit, format, quality, upscale, background, gravity, focus);
    }

    /** A quality for every format, 1-100; {@code null} for each format's default. */
    public ThumbnailSpec withQuality(Integer quality) {
        return new ThumbnailSpec(width, height, fit, format, quality, upscale, background, gravity, focus);
    }

    public ThumbnailSpec withUpscale(boolean upscale) {
        return new ThumbnailSpec(width, height, fit, format, quality, upscale, background, gravity, focus);
    }

    public ThumbnailSpec withBackground(int rgb) {
        return new ThumbnailSpec(width, height, fit, format, quality, upscale, rgb, gravity, focus);
    }

    /** Which part a cover crop keeps; needs {@link Fit#COVER}, so set the fit first. */
    public ThumbnailSpec withGravity(Gravity gravity) {
        Objects.requireNonNull(gravity, "gravity");
        return new ThumbnailSpec(width, height, fit, format, quality, upscale, background, gravity, focus);
    }

    /** The point a cover crop is centred on, or {@code null} for none; needs {@link Fit#COVER}, so set the fit first. */
    public ThumbnailSpec withFocus(FocalPoint focus) {
        return new ThumbnailSpec(width, height, fit, format, quality, upscale, background, gravity, focus);
    }

    /** The quality {@code format} is written at: the spec's, or that format's default. */
    public int qualityFor(ImageFormat format) {
        if (quality != null) {
            return quality;
        }
        return format == ImageFormat.WEBP ? DEFAULT_WEBP_QUALITY : DEFAULT_QUALITY;
    }

    /** The background as {@code #rrggbb}. */
    public String backgroundHex() {
        // Not String.format: each job's view shows it, and a format string is parsed at every call.
        return "#" + Integer.toHexString(background | 0x1000000).substring(1);
    }

    /** Parses {@code #rrggbb}, {@code rrggbb} or {@code #rgb} into {@code 0xRRGGBB}. */
    public static int parseColor(String value) {
        String v = value == null ? "" : value.trim();
        if (v.startsWith("#")) {
            v = v.substring(1);
        }
        if (v.length() == 3) {
            v = "" + v.charAt(0) + v.charAt(0) + v.charAt(1) + v.charAt(1) + v.charAt(2) + v.charAt(2);
        }
        if (v.length() != 6 || !v.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw invalid("background must be a colour like #ffffff or #fff (was '" + value + "')");
        }
        return Integer.parseInt(v, 16);
    }

    private static void checkSide(String name, Integer value) {
        if (value != null && (value < 1 || value > MAX_SIDE)) {
            throw invalid(name + " must be between 1 and " + MAX_SIDE + " pixels (was " + value + ")");
        }
    }

    private static ThumbnailException invalid(String message) {
        return new ThumbnailException(ErrorCode.INVALID_SPEC, message);
    }
}
