package io.thumbnail;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The point a {@link Fit#COVER cover} crop is centred on, as fractions of the upright source (after its EXIF
 * orientation is applied): {@code (0, 0)} is the top-left corner, {@code (1, 1)} the bottom-right. The crop keeps
 * inside the source, so a point near an edge puts the crop against that edge.
 *
 * @param x from the left edge, 0 to 1
 * @param y from the top edge, 0 to 1
 */
public record FocalPoint(double x, double y) {
    private static final Pattern TEXT = Pattern.compile("\\s*(\\d*\\.?\\d+)\\s*,\\s*(\\d*\\.?\\d+)\\s*");

    public FocalPoint {
        if (!(x >= 0 && x <= 1) || !(y >= 0 && y <= 1)) {
            throw invalid("focus must lie within the image: x and y between 0 and 1 (was " + x + "," + y + ")");
        }
    }

    /** The middle of the source: the same crop as {@link Gravity#CENTER}. */
    public static FocalPoint center() {
        return new FocalPoint(0.5, 0.5);
    }

    /** Parses {@code X,Y}, two decimal fractions such as {@code 0.25,0.4}. */
    public static FocalPoint parse(String value) {
        Matcher m = TEXT.matcher(value == null ? "" : value);
        if (!m.matches()) {
            throw invalid("focus must be X,Y: two fractions of the image's width and height between 0 and 1, such as"
                    + " 0.5,0.25 (was '" + value + "')");
        }
        return new FocalPoint(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)));
    }

    /** {@code X,Y}, as {@link #parse} reads it; the shortest decimals that give back the same numbers. */
    @Override
    public String toString() {
        return decimal(x) + "," + decimal(y);
    }

    private static String decimal(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static ThumbnailException invalid(String message) {
        return new ThumbnailException(ErrorCode.INVALID_SPEC, message);
    }
}
