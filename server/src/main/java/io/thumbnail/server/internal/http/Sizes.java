package io.thumbnail.server.internal.http;

import io.thumbnail.SubmitOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code sizes=100x100,400x400,1200x}: the boxes of several thumbnails of one image, each {@code WxH} with either side
 * optional ({@code 1200x} is 1200 wide, {@code x300} 300 high), at most {@link SubmitOptions#MAX_RENDITIONS}.
 */
public final class Sizes {
    /** One box: a side left out is null (the other one and the aspect ratio decide it). */
    public record Box(Integer width, Integer height) {
        @Override
        public String toString() {
            return (width == null ? "" : width) + "x" + (height == null ? "" : height);
        }
    }

    private Sizes() {
    }

    /**
     * The boxes of a {@code sizes} value, in order, each once; 400 {@code invalid_request} naming {@code sizes}
     * otherwise.
     */
    public static List<Box> parse(String value, int maxSide) {
        String[] parts = value.split(",", -1);
        if (parts.length > SubmitOptions.MAX_RENDITIONS) {
            throw RequestParams.invalid("sizes names " + parts.length + " sizes; at most "
                    + SubmitOptions.MAX_RENDITIONS + " are allowed per request");
        }
        List<Box> boxes = new ArrayList<>(parts.length);
        for (String part : parts) {
            String problem = problem(part.trim(), maxSide);
            if (problem != null) {
                throw RequestParams.invalid("sizes must be sizes such as 100x100,400x400,1200x separated by commas,"
                        + " each WxH with either side optional and each side 1 to " + maxSide + ": '"
                        + RequestParams.abbreviated(part.trim()) + "' " + problem);
            }
            Box box = box(part.trim());
            if (boxes.contains(box)) {
                // Two jobs for one thumbnail: the second would only wait for the first's result.
                throw RequestParams.invalid("sizes names " + box + " twice; each size makes one thumbnail");
            }
            boxes.add(box);
        }
        return boxes;
    }

    /** One {@code WxH} with either side optional and each side 1 to {@code maxSide}, or null if it is not one. */
    public static Box parseOne(String value, int maxSide) {
        return problem(value, maxSide) == null ? box(value) : null;
    }

    /** What is wrong with {@code part} as a size, or null if nothing. */
    private static String problem(String part, int maxSide) {
        int x = part.toLowerCase(java.util.Locale.ROOT).indexOf('x');
        if (x < 0 || x != part.toLowerCase(java.util.Locale.ROOT).lastIndexOf('x')) {
            return "is not WxH";
        }
        String w = part.substring(0, x).trim();
        String h = part.substring(x + 1).trim();
        if (w.isEmpty() && h.isEmpty()) {
            return "names neither side";
        }
        for (String side : new String[] {w, h}) {
            if (!side.isEmpty()) {
                if (!side.matches("[0-9]{1,9}")) {
                    return "is not WxH in whole pixels";
                }
                int n = Integer.parseInt(side);
                if (n < 1 || n > maxSide) {
                    return "has a side outside 1 to " + maxSide + " (--max-output-side)";
                }
            }
        }
        return null;
    }

    private static Box box(String part) {
        int x = part.toLowerCase(java.util.Locale.ROOT).indexOf('x');
        String w = part.substring(0, x).trim();
        String h = part.substring(x + 1).trim();
        return new Box(w.isEmpty() ? null : Integer.valueOf(w), h.isEmpty() ? null : Integer.valueOf(h));
    }
}
