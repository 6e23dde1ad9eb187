package io.thumbnail.bench;

import io.thumbnail.ThumbnailSpec;

/**
 * What makes a load's k-th use of one photo give a thumbnail of its own: a square box of one of twenty sides from
 * {@code size} up, JPEG quality one of forty (60 to 99), and the photo's luma DC quantiser raised by 0 to 3, {@value
 * #COMBINATIONS} combinations in turn. Photos that all differ make thumbnails that all differ, each stored and forced to
 * disk; a load repeating a few photos in one box would make the same thumbnails again and again, which the service
 * stores once and then only finds, flattering it. The quantiser changes each block's mean, and so the pixels, but not
 * one bit of the entropy-coded data, so the decoder's work is the same; boxes and qualities cost the pipeline about
 * what the {@code size} box at the default quality does.
 */
record ThumbnailVariants(int size) {
    static final int SIDES = 20;
    static final int QUALITIES = 40;
    static final int DC_STEPS = 4;
    static final int COMBINATIONS = SIDES * QUALITIES * DC_STEPS;

    ThumbnailVariants {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1 (was " + size + ")");
        }
    }

    /** The side of the k-th box. */
    int side(long k) {
        return size + (int) (k % SIDES);
    }

    int quality(long k) {
        return 60 + (int) (k / SIDES % QUALITIES);
    }

    /** How much the k-th use raises the photo's luma DC quantiser. */
    int dcStep(long k) {
        return (int) (k / (SIDES * QUALITIES) % DC_STEPS);
    }

    ThumbnailSpec spec(long k) {
        return ThumbnailSpec.box(side(k), side(k)).withQuality(quality(k));
    }

    /**
     * {@code quantiser}, the photo's own luma DC quantiser (1 to 255), raised for the k-th use; staying within a byte.
     */
    int dcQuantiser(int quantiser, long k) {
        return Math.min(255, quantiser + dcStep(k));
    }
}
