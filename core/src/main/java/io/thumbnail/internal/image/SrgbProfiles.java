package io.thumbnail.internal.image;

import java.awt.color.ICC_ColorSpace;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recognises embedded ICC profiles that are sRGB under another name (phones embed their own copy of sRGB), so
 * their photos skip a colour conversion that would change nothing. A profile counts as sRGB when a grid of
 * test colours converts through it to within one level of itself. Verdicts are cached per profile.
 */
final class SrgbProfiles {
    private static final int MAX_CACHED = 64;
    private static final Map<ByteBuffer, Boolean> VERDICTS = new ConcurrentHashMap<>();

    private SrgbProfiles() {
    }

    static boolean isEffectivelySrgb(byte[] icc, ICC_ColorSpace space) {
        ByteBuffer key = ByteBuffer.wrap(icc.clone());
        Boolean known = VERDICTS.get(key);
        if (known != null) {
            return known;
        }
        boolean verdict = test(space);
        if (VERDICTS.size() < MAX_CACHED) {
            VERDICTS.put(key, verdict);
        }
        return verdict;
    }

    private static boolean test(ICC_ColorSpace space) {
        int steps = 6;
        BufferedImage grid = new BufferedImage(steps * steps * steps, 1, BufferedImage.TYPE_INT_RGB);
        int i = 0;
        for (int r = 0; r < steps; r++) {
            for (int g = 0; g < steps; g++) {
                for (int b = 0; b < steps; b++) {
                    grid.setRGB(i++, 0, level(r, steps) << 16 | level(g, steps) << 8 | level(b, steps));
                }
            }
        }
        BufferedImage converted = ReducingJpegDecoder.toSrgb(grid, space);
        for (int x = 0; x < grid.getWidth(); x++) {
            int a = grid.getRGB(x, 0);
            int c = converted.getRGB(x, 0);
            for (int shift = 0; shift <= 16; shift += 8) {
                if (Math.abs(((a >> shift) & 0xFF) - ((c >> shift) & 0xFF)) > 1) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int level(int step, int steps) {
        return step * 255 / (steps - 1);
    }
}
