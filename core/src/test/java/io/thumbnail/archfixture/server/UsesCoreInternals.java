package io.thumbnail.archfixture.server;

import io.thumbnail.ImageFormat;
import io.thumbnail.internal.image.header.FormatSniffer;

/** A would-be server class reading an image with core's internals: what {@code useNoCoreInternals} refuses. */
public final class UsesCoreInternals {
    private UsesCoreInternals() {
    }

    public static ImageFormat format(byte[] data) {
        return FormatSniffer.sniff(data);
    }
}
