package io.thumbnail;

import java.util.List;

/**
 * Thumbnails in a JVM of its own, for {@link WebpNativeTest}: whatever the native library did on load is that JVM's
 * for good. {@code report} prints what WebP output does there, one {@code key=value} line each; {@code hold} loads
 * libwebp, prints {@code loaded <folder>} and waits to be killed.
 */
public final class WebpChild {
    private WebpChild() {
    }

    public static void main(String[] args) throws Exception {
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        if (args[0].equals("hold")) {
            System.out.println(Thumbnailer.webpUnavailableReason().map(r -> "unavailable " + r)
                    .orElse("loaded " + System.getProperty("com.luciad.imageio.webp.tmpdir")));
            Thread.sleep(60_000);
            return;
        }
        byte[] photo = CrashChild.photo(300, 200);
        System.out.println("reason=" + Thumbnailer.webpUnavailableReason().orElse("none"));
        try {
            thumbnailer.thumbnail(photo, ThumbnailSpec.box(100, 100).withFormat(OutputFormat.WEBP));
            System.out.println("webp=made");
        } catch (ThumbnailException e) {
            System.out.println("webp=" + e.code().id() + ": " + e.getMessage());
        }
        Thumbnail auto = thumbnailer.thumbnail(photo, ThumbnailSpec.box(100, 100).withFormat(OutputFormat.AUTO_WEBP));
        System.out.println("auto-webp=" + auto.format().id() + " fallback " + (auto.fallback() != null));
        Thumbnail lossless = thumbnailer.thumbnail(WebpFixtures.solidLossless(40, 30, 0xFF336699),
                ThumbnailSpec.box(100, 100).withFormat(OutputFormat.PNG));
        System.out.println("webp-input=" + lossless.width() + "x" + lossless.height());
        Thumbnail animated = thumbnailer.thumbnail(WebpFixtures.animated(40, 30, List.of(0xFFFF0000, 0xFF00FF00)),
                ThumbnailSpec.box(100, 100).withFormat(OutputFormat.PNG));
        System.out.println("animated-input=" + animated.width() + "x" + animated.height());
    }
}
