package io.thumbnail;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which part of the source a {@link Fit#COVER cover} thumbnail keeps when the box's shape crops it: a side or corner,
 * the centre (the default), or {@link #SMART} for the part that draws the eye. Cover crops along one axis only (the
 * other fits the box exactly), so a corner acts as the side along the cropped axis: {@code northeast} keeps the top of
 * a portrait source and the right of a landscape one.
 */
public enum Gravity {
    /** The middle of the source. The default. */
    CENTER(0.5, 0.5),
    NORTH(0.5, 0),
    SOUTH(0.5, 1),
    EAST(1, 0.5),
    WEST(0, 0.5),
    NORTHEAST(1, 0),
    NORTHWEST(0, 0),
    SOUTHEAST(1, 1),
    SOUTHWEST(0, 1),
    /**
     * The region of interest, found on the decoded image: where edges, saturated colour and skin tones are densest,
     * in a window the crop's size. Where no window clearly beats the centre, the centre.
     */
    SMART(0.5, 0.5);

    private final double anchorX;
    private final double anchorY;

    Gravity(double anchorX, double anchorY) {
        this.anchorX = anchorX;
        this.anchorY = anchorY;
    }

    /** The lower-case wire name: {@code center}, {@code north}, ..., {@code southwest}, {@code smart}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Where the crop sits along the width, 0 (against the left edge) to 1 (against the right); for {@link #SMART} the
     * centre, where it starts before the image is seen.
     */
    public double anchorX() {
        return anchorX;
    }

    /** Where the crop sits along the height, 0 (against the top edge) to 1 (against the bottom). */
    public double anchorY() {
        return anchorY;
    }

    /** Parses an {@link #id()} in any case ({@code centre} is taken for {@code center}). */
    public static Gravity parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("centre")) {
            return CENTER;
        }
        for (Gravity gravity : values()) {
            if (gravity.id().equals(v)) {
                return gravity;
            }
        }
        throw new ThumbnailException(ErrorCode.INVALID_SPEC, "gravity must be one of "
                + Arrays.stream(values()).map(Gravity::id).collect(Collectors.joining(", ")) + " (was '" + value + "')");
    }
}
