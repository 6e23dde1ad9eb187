package io.thumbnail;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class SourceHashTest {
    private static byte[] photo() throws IOException {
        BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                img.setRGB(x, y, (x * 7 ^ y * 13) & 0xFFFFFF);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    @Test
    void a_thumbnail_reports_the_sha256_of_its_source() throws IOException {
        byte[] data = photo();

        Thumbnail t = Thumbnailer.create(Limits.defaults()).thumbnail(data, ThumbnailSpec.box(100, 100));

        assertThat(t.source().sha256()).as("the source's hash").isEqualTo(Thumbnailer.sha256(data));
    }

    @Test
    void without_source_hashes_the_thumbnail_is_the_same_and_its_source_hash_is_null() throws IOException {
        byte[] data = photo();
        Thumbnailer hashing = Thumbnailer.create(Limits.defaults());

        Thumbnail t = hashing.withoutSourceHashes().thumbnail(data, ThumbnailSpec.box(100, 100));

        assertThat(t.source().sha256()).as("no hash was computed").isNull();
        assertThat(t.source().bytes()).isEqualTo(data.length);
        assertThat(t.bytes()).as("the same thumbnail as with the hash")
                .isEqualTo(hashing.thumbnail(data, ThumbnailSpec.box(100, 100)).bytes());
    }
}
