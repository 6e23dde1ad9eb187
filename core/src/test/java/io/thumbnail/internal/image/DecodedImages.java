package io.thumbnail.internal.image;

import io.thumbnail.internal.image.header.FormatSniffer;
import io.thumbnail.internal.image.header.HeaderReader;
import io.thumbnail.internal.image.header.ImageHeader;

import java.awt.image.BufferedImage;

/** Runs the decode half of the pipeline (sniff, header, decode at full size) the way Thumbnailer does. */
final class DecodedImages {
    private DecodedImages() {
    }

    static BufferedImage decode(byte[] data) {
        ImageHeader header = HeaderReader.read(data, FormatSniffer.sniff(data));
        return ImageDecoder.decode(data, header, header.width(), header.height());
    }

    static int alpha(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) >>> 24;
    }
}
