package io.thumbnail.internal.image;

import java.awt.Transparency;
import java.awt.color.CMMException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * Turns whatever a reader produced (grey, 16-bit, indexed, profile-tagged) into sRGB {@code TYPE_INT_RGB},
 * or {@code TYPE_INT_ARGB} when some pixel is really transparent. Grey stays grey: equal red, green and blue.
 */
final class SrgbConverter {
    private SrgbConverter() {
    }

    /**
     * @param embedded an ICC profile the reader did not apply (PNG iCCP), or null. It is ignored when it does
     *                 not describe the data's colours (RGB for RGB, grey for grey) or cannot be used, since a wrong
     *                 profile must not fail the image.
     */
    static BufferedImage convert(BufferedImage decoded, ICC_Profile embedded) {
        ColorSpace space = decoded.getColorModel().getColorSpace();
        BufferedImage rgb;
        if (space.getType() == ColorSpace.TYPE_GRAY) {
            rgb = fromGray(decoded.getRaster(), decoded.getColorModel().hasAlpha(),
                    srgbLevels(greyProfile(space, embedded)));
        } else if (space.isCS_sRGB() || !(space instanceof ICC_ColorSpace)) {
            rgb = toIntRgb(decoded);
        } else {
            BufferedImage converted = transform(decoded, emptyLike(decoded));
            rgb = converted != null ? converted : toIntRgb(decoded);
        }
        if (embedded != null && space.getType() == ColorSpace.TYPE_RGB
                && embedded.getColorSpaceType() == ColorSpace.TYPE_RGB) {
            rgb = applyProfile(rgb, embedded);
        }
        return dropOpaqueAlpha(rgb);
    }

    /** An embedded profile's bytes as a profile; null when absent or unreadable (a broken one must not fail the image). */
    static ICC_Profile profile(byte[] icc) {
        if (icc == null) {
            return null;
        }
        try {
            return ICC_Profile.getInstance(icc);
        } catch (IllegalArgumentException broken) {
            return null;
        }
    }

    private static BufferedImage toIntRgb(BufferedImage src) {
        int type = Pixels.plainType(src);
        return src.getType() == type ? src : Pixels.redrawn(src, type);
    }

    /**
     * The grey profile the image's levels are in: the one embedded that the reader left alone, or the one the reader
     * tagged the pixels with. Null for untagged grey, which the JDK calls linear ({@code CS_GRAY}) though files and
     * browsers mean sRGB's tone curve.
     */
    private static ICC_Profile greyProfile(ColorSpace decoded, ICC_Profile embedded) {
        if (embedded != null && embedded.getColorSpaceType() == ColorSpace.TYPE_GRAY) {
            return embedded;
        }
        if (decoded instanceof ICC_ColorSpace tagged && decoded != ColorSpace.getInstance(ColorSpace.CS_GRAY)) {
            return tagged.getProfile();
        }
        return null;
    }

    /**
     * For each 8-bit level in grey {@code profile}, the sRGB grey level that shows the same (as browsers convert a
     * tagged grey image): one table, so the image stays exactly grey. Null when there is no profile or the colour
     * engine rejects it (the levels are then taken as they are).
     */
    private static int[] srgbLevels(ICC_Profile profile) {
        if (profile == null) {
            return null;
        }
        try {
            ComponentColorModel model = new ComponentColorModel(new ICC_ColorSpace(profile), false, false,
                    Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
            WritableRaster ramp = model.createCompatibleWritableRaster(256, 1);
            for (int level = 0; level < 256; level++) {
                ramp.setSample(level, 0, 0, level);
            }
            BufferedImage srgb = transform(new BufferedImage(model, ramp, false, null),
                    new BufferedImage(256, 1, BufferedImage.TYPE_INT_RGB));
            if (srgb == null) {
                return null;
            }
            int[] levels = new int[256];
            for (int level = 0; level < 256; level++) {
                int p = srgb.getRGB(level, 0);
                // Neutral grey comes out neutral to within rounding; luma weighs what is left over.
                levels[level] = (((p >> 16) & 0xFF) * 299 + ((p >> 8) & 0xFF) * 587 + (p & 0xFF) * 114 + 500) / 1000;
            }
            return levels;
        } catch (IllegalArgumentException | CMMException unusable) {
            return null;
        }
    }

    /**
     * Grey samples are copied as they are, or through {@code levels} (from the image's profile) when not null. Java2D
     * would treat them as linear light and brighten them (128 becomes 188) when drawing grey with alpha.
     */
    private static BufferedImage fromGray(Raster raster, boolean alpha, int[] levels) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        BufferedImage out = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        int grayMax = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
        int alphaMax = alpha ? (1 << raster.getSampleModel().getSampleSize(1)) - 1 : 1;
        int[] gray = new int[w];
        int[] alphas = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, gray);
            if (alpha) {
                raster.getSamples(0, y, w, 1, 1, alphas);
            }
            for (int x = 0; x < w; x++) {
                int v = (gray[x] * 255 + grayMax / 2) / grayMax;
                if (levels != null) {
                    v = levels[v];
                }
                int a = alpha ? (alphas[x] * 255 + alphaMax / 2) / alphaMax : 255;
                pixels[y * w + x] = (a << 24) | (v << 16) | (v << 8) | v;
            }
        }
        return out;
    }

    /** Reinterprets the RGB values as being in {@code profile} and converts them to sRGB. */
    private static BufferedImage applyProfile(BufferedImage rgb, ICC_Profile profile) {
        ICC_ColorSpace space;
        try {
            space = new ICC_ColorSpace(profile);
        } catch (IllegalArgumentException | CMMException unusable) {
            return rgb;
        }
        boolean alpha = rgb.getColorModel().hasAlpha();
        DirectColorModel tagged = new DirectColorModel(space, alpha ? 32 : 24,
                0xFF0000, 0xFF00, 0xFF, alpha ? 0xFF000000 : 0, false, DataBuffer.TYPE_INT);
        BufferedImage source = new BufferedImage(tagged, rgb.getRaster(), false, null);
        BufferedImage converted = transform(source, emptyLike(rgb));
        return converted != null ? converted : rgb;
    }

    /** Colour-converts {@code src} into {@code dst}; null when the colour engine rejects the profile. */
    private static BufferedImage transform(BufferedImage src, BufferedImage dst) {
        try {
            new ColorConvertOp(null).filter(src, dst);
            return dst;
        } catch (CMMException | IllegalArgumentException unusable) {
            return null;
        }
    }

    private static BufferedImage dropOpaqueAlpha(BufferedImage image) {
        if (image.getType() != BufferedImage.TYPE_INT_ARGB) {
            return image;
        }
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int p : pixels) {
            if (p >>> 24 != 0xFF) {
                return image;
            }
        }
        BufferedImage opaque = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        int[] target = ((DataBufferInt) opaque.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i++) {
            target[i] = pixels[i] & 0xFFFFFF;
        }
        return opaque;
    }

    private static BufferedImage emptyLike(BufferedImage src) {
        return new BufferedImage(src.getWidth(), src.getHeight(), Pixels.plainType(src));
    }
}
