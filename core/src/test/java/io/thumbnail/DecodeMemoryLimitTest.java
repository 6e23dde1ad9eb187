package io.thumbnail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An image within the pixel limit whose whole decode does not fit the heap (a 5 x 10,000,000 PNG, 50 MP, in a 64 MB
 * heap: 150 MB of pixels; a 12 MP JPEG thumbnailed at its own size in 40 MB) fails with {@code too_large} naming the
 * reason, never an OutOfMemoryError out of the library. Runs in a child JVM ({@link ChildJvm}).
 */
class DecodeMemoryLimitTest {
    @TempDir
    Path dir;

    @Test
    void an_image_whose_decode_cannot_fit_the_heap_is_too_large_not_an_out_of_memory_error() throws Exception {
        Path png = dir.resolve("tall.png");
        Files.write(png, tallPng(5, 10_000_000));

        ChildJvm.Run child = ChildJvm.run(Child.class, "64m", png.toString());

        assertThat(child.finished()).as("the child JVM finished").isTrue();
        assertThat(child.output()).as("what the child printed").contains("refused too_large: the png image (5x10000000) needs"
                + " more memory to decode than this JVM has for one image");
        assertThat(child.exitCode()).as("exit code; output:%n%s", child.output()).isZero();
    }

    @Test
    void a_jpeg_thumbnailed_near_its_own_size_in_a_heap_too_small_is_too_large_not_an_out_of_memory_error()
            throws Exception {
        // 12 MP decoded whole by the DCT-domain path (the box leaves it nothing to reduce): about 100 MB in a 40 MB heap.
        Path jpeg = dir.resolve("photo.jpg");
        Files.write(jpeg, TestImages.jpeg(4000, 3000, 3));

        ChildJvm.Run child = ChildJvm.run(Child.class, "40m", jpeg.toString(), "4000");

        assertThat(child.finished()).as("the child JVM finished").isTrue();
        assertThat(child.output()).as("what the child printed").contains("refused too_large: the jpeg image (4000x3000)"
                + " needs more memory to decode than this JVM has for one image");
        assertThat(child.exitCode()).as("exit code; output:%n%s", child.output()).isZero();
    }

    /** A grey RGB PNG of {@code width} x {@code height}, deflated as it is written: a few hundred KB. */
    private static byte[] tallPng(int width, int height) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(idat)) {
            byte[] row = new byte[1 + width * 3];
            for (int y = 0; y < height; y++) {
                deflate.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** The child JVM: thumbnails one file and prints the result, or the code and message it was refused with. */
    static final class Child {
        public static void main(String[] args) throws IOException {
            try {
                int side = args.length > 1 ? Integer.parseInt(args[1]) : 100;
                Thumbnail t = Thumbnailer.create(Limits.defaults()).thumbnail(Path.of(args[0]),
                        ThumbnailSpec.box(side, side));
                System.out.println("thumbnail " + t.width() + "x" + t.height());
            } catch (ThumbnailException e) {
                System.out.println("refused " + e.code().id() + ": " + e.getMessage());
            }
        }
    }
}
