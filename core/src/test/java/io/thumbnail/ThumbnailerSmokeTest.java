package io.thumbnail;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class ThumbnailerSmokeTest {
    @Test
    void jpeg_of_613x624_fits_100x100_as_98x100() throws IOException {
        BufferedImage img = new BufferedImage(613, 624, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);

        Thumbnail t = Thumbnailer.create(Limits.defaults()).thumbnail(out.toByteArray(), ThumbnailSpec.box(100, 100));

        assertThat(t.format()).isEqualTo(ImageFormat.JPEG);
        assertThat(t.width()).as("width").isEqualTo(98);
        assertThat(t.height()).as("height").isEqualTo(100);
        assertThat(t.source().width()).isEqualTo(613);
        BufferedImage read = ImageIO.read(new java.io.ByteArrayInputStream(t.bytes()));
        assertThat(read.getWidth()).isEqualTo(98);
    }
}
