package io.thumbnail.internal.image;

import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/** Applies an EXIF orientation (1-8) to pixels so the result is upright. */
public final class Orientation {
    private Orientation() {
    }

    public static BufferedImage apply(BufferedImage src, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        boolean transpose = orientation >= 5;
        int ow = transpose ? h : w;
        int oh = transpose ? w : h;
        AffineTransform t = new AffineTransform();
        switch (orientation) {
            case 2: t.translate(w, 0); t.scale(-1, 1); break;              // mirror horizontal
            case 3: t.translate(w, h); t.rotate(Math.PI); break;           // rotate 180
            case 4: t.translate(0, h); t.scale(1, -1); break;              // mirror vertical
            case 5: t.rotate(-Math.PI / 2); t.scale(-1, 1); break;         // transpose
            case 6: t.translate(h, 0); t.rotate(Math.PI / 2); break;       // rotate 90 CW
            case 7: t.scale(-1, 1); t.translate(-h, 0); t.translate(0, w); t.rotate(3 * Math.PI / 2); break; // transverse
            case 8: t.translate(0, w); t.rotate(3 * Math.PI / 2); break;   // rotate 270 CW
            default: break;
        }
        BufferedImage out = new BufferedImage(ow, oh, src.getColorModel().hasAlpha()
                ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(src, t, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
