package io.thumbnail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ThumbnailServiceTest {
    @TempDir
    Path dir;

    @Test
    void submitted_image_ends_done_with_a_readable_thumbnail() throws Exception {
        try (ThumbnailService service = ThumbnailService.builder().dataDir(dir).workers(2).build()) {
            Job job = service.submit(ImageSource.of(TestImages.jpeg(400, 300, 1), "cat.jpg"), ThumbnailSpec.box(100, 100));

            Job done = service.await(job.id(), Duration.ofSeconds(30));

            assertThat(done.status()).as("status after await").isEqualTo(JobStatus.DONE);
            assertThat(done.result().width()).as("thumbnail width").isEqualTo(100);
            assertThat(done.result().height()).as("thumbnail height").isEqualTo(75);
            BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(service.thumbnailBytes(done.id())));
            assertThat(thumbnail.getWidth()).as("decoded thumbnail width").isEqualTo(100);
            assertThat(service.thumbnailFile(done.id())).as("thumbnail file").isRegularFile();
        }
    }
}
