package io.thumbnail;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 20-megapixel JPEG becomes a 100 px thumbnail in a JVM with a 64 MB heap: its decoded pixels alone (80 MB as
 * ints) would not fit, so this only passes if the decoder shrinks on load. Runs in a child JVM ({@link ChildJvm}).
 */
class ShrinkOnLoadTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "progressive={0}")
    @ValueSource(booleans = {false, true})
    void twenty_megapixel_jpeg_thumbnails_in_a_64_mb_heap(boolean progressive) throws Exception {
        Path source = dir.resolve("20mp.jpg");
        Files.write(source, Fixtures.jpeg(noisyPhoto(5472, 3648), 90, progressive));

        ChildJvm.Run child = ChildJvm.run(Child.class, "64m", source.toString());

        assertThat(child.finished()).as("the child JVM finished").isTrue();
        assertThat(child.exitCode()).as("exit code; output:%n%s", child.output()).isZero();
        assertThat(child.output()).as("the thumbnail's size").contains("thumbnail 100x67");
    }

    /** Gradients plus per-pixel noise, so the JPEG is as large and as costly to decode as a camera's. */
    private static BufferedImage noisyPhoto(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        Random random = new Random(3);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int n = random.nextInt(24);
                int r = Math.min(255, x * 200 / width + n);
                int g = Math.min(255, y * 200 / height + n);
                int b = Math.min(255, 100 + n);
                px[y * width + x] = r << 16 | g << 8 | b;
            }
        }
        return image;
    }

    /** The child JVM: thumbnails one file and prints the result's size. */
    static final class Child {
        public static void main(String[] args) throws IOException {
            Thumbnail t = Thumbnailer.create(Limits.defaults()).thumbnail(Path.of(args[0]), ThumbnailSpec.box(100, 100));
            System.out.println("thumbnail " + t.width() + "x" + t.height() + " " + t.bytes().length + " bytes from "
                    + Files.size(Path.of(args[0])) + " bytes, max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        }
    }
}
