package io.thumbnail.internal.image.header;

import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;

import java.awt.Rectangle;

/**
 * Walks a GIF's blocks without decompressing them: the logical screen, every image descriptor and the size
 * of the area they cover. Animated GIFs are charged for every frame, so each frame counts towards the
 * pixel limit at the size of that area.
 */
final class GifHeaderReader {
    private static final int EXTENSION = 0x21;
    private static final int IMAGE = 0x2C;
    private static final int TRAILER = 0x3B;

    private GifHeaderReader() {
    }

    static ImageHeader read(ImageBytes data) {
        return walk(data, false).header();
    }

    /** Where the first frame lies on the canvas: {x, y, width, height}. */
    static Rectangle firstFrame(byte[] data) {
        return walk(ImageBytes.of(data), true).firstFrame();
    }

    private record Walk(ImageHeader header, Rectangle firstFrame) {
    }

    private static Walk walk(ImageBytes data, boolean firstFrameOnly) {
        HeaderBytes in = new HeaderBytes(data, ImageFormat.GIF, false);
        int width = in.u16(6);
        int height = in.u16(8);
        long pos = 13 + colourTableSize(in.u8(10));
        int frames = 0;
        Rectangle first = null;
        while (pos < data.length()) {
            int block = in.u8(pos);
            if (block == TRAILER) {
                break;
            }
            if (block != EXTENSION && block != IMAGE) {
                if (frames > 0) {
                    break; // junk after a complete first frame: decoders stop there too
                }
                throw in.corrupt("unknown block 0x" + Integer.toHexString(block));
            }
            try {
                if (block == EXTENSION) {
                    pos = skipSubBlocks(in, pos + 2);
                    continue;
                }
                if (first == null) {
                    first = new Rectangle(in.u16(pos + 1), in.u16(pos + 3), in.u16(pos + 5), in.u16(pos + 7));
                    if (firstFrameOnly) {
                        return new Walk(null, first);
                    }
                }
                // A frame may reach outside the logical screen; decoders then allocate the larger area.
                width = Math.max(width, in.u16(pos + 1) + in.u16(pos + 5));
                height = Math.max(height, in.u16(pos + 3) + in.u16(pos + 7));
                long imageData = pos + 10 + colourTableSize(in.u8(pos + 9));
                in.u8(imageData); // LZW minimum code size
                pos = skipSubBlocks(in, imageData + 1);
                frames++;
            } catch (ThumbnailException truncated) {
                if (frames == 0) {
                    throw truncated;
                }
                break; // only the first frame is shown; a cut-off later block does not matter
            }
        }
        if (frames == 0) {
            throw in.corrupt("the file has no image");
        }
        return new Walk(new ImageHeader(ImageFormat.GIF, width, height, frames, 1), first);
    }

    private static int colourTableSize(int flags) {
        return (flags & 0x80) == 0 ? 0 : 3 << ((flags & 0x07) + 1);
    }

    /** Returns the offset after the terminating empty sub-block. */
    private static long skipSubBlocks(HeaderBytes in, long pos) {
        while (true) {
            int size = in.u8(pos);
            if (size == 0) {
                return pos + 1;
            }
            in.require(pos + 1, size);
            pos += 1 + size;
        }
    }
}
