package io.thumbnail.internal.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Scales the plan's crop of an image to the plan's size. */
public final class Resizer {
    private Resizer() {
    }

    public static BufferedImage resize(BufferedImage src, ThumbnailPlan plan) {
        int sx = (int) Math.round(plan.cropX() * src.getWidth());
        int sy = (int) Math.round(plan.cropY() * src.getHeight());
        int sw = Math.max(1, (int) Math.round(plan.cropWidth() * src.getWidth()));
        int sh = Math.max(1, (int) Math.round(plan.cropHeight() * src.getHeight()));
        BufferedImage out = new BufferedImage(plan.width(), plan.height(), src.getType());
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, plan.width(), plan.height(), sx, sy, sx + sw, sy + sh, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
