package io.thumbnail.internal.image.jpeg;

import java.awt.color.CMMException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBuffer;
import java.awt.image.DirectColorModel;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The RGB ICC profiles embedded in JPEGs, parsed once per distinct profile, and the conversions from them to sRGB.
 * Photos from one camera or phone model carry the same profile, and building LCMS's transform for it (which
 * inverts sRGB's tone curves) costs more than converting the reduced image does: so each thread
 * keeps its last few {@link ColorConvertOp}s, which reuse their transform while the profile object is the same.
 *
 * <p>A profile that is sRGB under another name (phones embed their own copy) is recognised once, by converting a grid
 * of test colours through it: within one level of themselves, its photos skip the conversion.
 */
final class EmbeddedProfiles {
    private static final int MAX_PROFILES = 64;
    private static final int MAX_CONVERSIONS_PER_THREAD = 4;
    private static final Map<ByteBuffer, Optional<Profile>> PROFILES = new ConcurrentHashMap<>();
    /** Per thread: a ColorConvertOp keeps its transform in plain fields, so it must not be shared. */
    private static final ThreadLocal<Map<ICC_ColorSpace, ColorConvertOp>> CONVERSIONS = ThreadLocal.withInitial(
            () -> new LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ICC_ColorSpace, ColorConvertOp> eldest) {
                    return size() > MAX_CONVERSIONS_PER_THREAD;
                }
            });

    /** A usable RGB profile; {@code srgb} when converting through it changes no colour by more than one level. */
    record Profile(ICC_ColorSpace space, boolean srgb) {
    }

    private EmbeddedProfiles() {
    }

    /** The profile in {@code icc}; empty when it is not a usable RGB profile. */
    static Optional<Profile> rgb(byte[] icc) {
        ByteBuffer key = ByteBuffer.wrap(icc);
        Optional<Profile> known = PROFILES.get(key);
        if (known != null) {
            return known;
        }
        Optional<Profile> profile = parse(icc);
        if (PROFILES.size() < MAX_PROFILES) {
            // Keyed by a copy: the caller's array is a view of an image that is about to be dropped.
            PROFILES.putIfAbsent(ByteBuffer.wrap(icc.clone()), profile);
        }
        return profile;
    }

    private static Optional<Profile> parse(byte[] icc) {
        try {
            ICC_Profile profile = ICC_Profile.getInstance(icc);
            if (profile.getColorSpaceType() != ColorSpace.TYPE_RGB) {
                return Optional.empty();
            }
            ICC_ColorSpace space = new ICC_ColorSpace(profile);
            return Optional.of(new Profile(space, isEffectivelySrgb(space)));
        } catch (IllegalArgumentException | CMMException e) {
            return Optional.empty();
        }
    }

    /** {@code image}'s RGB values, read as being in {@code space}, converted to sRGB {@code TYPE_INT_RGB}. */
    static BufferedImage toSrgb(BufferedImage image, ICC_ColorSpace space) {
        return convert(image, space, CONVERSIONS.get().computeIfAbsent(space, s -> new ColorConvertOp(null)));
    }

    private static BufferedImage convert(BufferedImage image, ICC_ColorSpace space, ColorConvertOp op) {
        DirectColorModel model = new DirectColorModel(space, 24, 0xFF0000, 0xFF00, 0xFF, 0, false, DataBuffer.TYPE_INT);
        BufferedImage tagged = new BufferedImage(model, image.getRaster(), false, null);
        return op.filter(tagged, new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB));
    }

    private static boolean isEffectivelySrgb(ICC_ColorSpace space) {
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
        // A one-off op: most profiles tested here are sRGB, whose photos never convert.
        BufferedImage converted = convert(grid, space, new ColorConvertOp(null));
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
