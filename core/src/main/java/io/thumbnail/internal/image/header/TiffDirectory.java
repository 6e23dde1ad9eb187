package io.thumbnail.internal.image.header;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The first image file directory (IFD0) of a TIFF structure, as found in TIFF and BigTIFF files and in EXIF
 * blocks. Only IFD0 is read and no offset is followed beyond it, so a hostile file can neither loop the parser
 * nor make it allocate more than the entries it really holds.
 */
final class TiffDirectory {
    static final int IMAGE_WIDTH = 256;
    static final int IMAGE_LENGTH = 257;
    /** PhotometricInterpretation: 0 (white is zero) and 1 (black is zero) are grey. */
    static final int PHOTOMETRIC_INTERPRETATION = 262;
    static final int ORIENTATION = 274;
    static final int SAMPLES_PER_PIXEL = 277;
    /** ExtraSamples: 1 means the extra sample is associated (premultiplied) alpha. */
    static final int EXTRA_SAMPLES = 338;

    private static final int SHORT = 3;
    private static final int LONG = 4;
    private static final int LONG8 = 16;

    /** Tags holding exactly one integer value; tags with other shapes are left out. */
    private final Map<Integer, Long> integers;

    private TiffDirectory(Map<Integer, Long> integers) {
        this.integers = integers;
    }

    /** Reads IFD0 of the TIFF structure that starts at offset 0 of {@code bytes}. */
    static TiffDirectory readFirst(HeaderBytes bytes) {
        boolean bigEndian;
        if (bytes.ascii(0, "MM")) {
            bigEndian = true;
        } else if (bytes.ascii(0, "II")) {
            bigEndian = false;
        } else {
            throw bytes.corrupt("no TIFF byte order mark");
        }
        HeaderBytes in = bytes.withBigEndian(bigEndian);
        int magic = in.u16(2);
        boolean big;
        long ifd;
        if (magic == 42) {
            big = false;
            ifd = in.u32(4);
        } else if (magic == 43) {
            if (in.u16(4) != 8 || in.u16(6) != 0) {
                throw in.corrupt("unexpected BigTIFF offset size");
            }
            big = true;
            ifd = in.u64(8);
        } else {
            throw in.corrupt("unknown TIFF version " + magic);
        }
        long count = big ? in.u64(ifd) : in.u16(ifd);
        int entrySize = big ? 20 : 12;
        long first = ifd + (big ? 8 : 2);
        if (count == 0 || count > in.length()) {
            throw in.corrupt("the first directory claims " + count + " entries");
        }
        // Entries must all lie inside the file; this bounds the loop by the file size.
        in.require(first, count * entrySize);
        Map<Integer, Long> integers = new HashMap<>();
        for (long i = 0; i < count; i++) {
            long entry = first + i * entrySize;
            int tag = in.u16(entry);
            int type = in.u16(entry + 2);
            long values = big ? in.u64(entry + 4) : in.u32(entry + 4);
            long field = entry + (big ? 12 : 8);
            if (values != 1) {
                continue;
            }
            switch (type) {
                case SHORT -> integers.put(tag, (long) in.u16(field));
                case LONG -> integers.put(tag, in.u32(field));
                case LONG8 -> integers.put(tag, in.u64(field));
                default -> { }
            }
        }
        return new TiffDirectory(integers);
    }

    /** The value of a tag that holds exactly one SHORT, LONG or LONG8; empty when absent or of another shape. */
    OptionalLong integer(int tag) {
        Long value = integers.get(tag);
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
