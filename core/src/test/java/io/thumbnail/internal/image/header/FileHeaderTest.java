package io.thumbnail.internal.image.header;

import io.thumbnail.ImageFixtures;
import io.thumbnail.Limits;
import io.thumbnail.ThumbnailException;
import io.thumbnail.WebpFixtures;
import io.thumbnail.corpus.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A header read from a file a few blocks at a time (an upload streamed to disk) says exactly what the same bytes say
 * in memory: the same format, size, frames and orientation, or the same refusal.
 */
class FileHeaderTest {
    private static final BufferedImage IMAGE = ImageFixtures.solid(37, 23, 0x336699);

    @TempDir
    Path dir;

    @Test
    void every_format_reads_the_same_from_a_file_as_from_memory() throws IOException {
        BufferedImage binary = new BufferedImage(37, 23, BufferedImage.TYPE_BYTE_BINARY);
        List<byte[]> images = List.of(ImageFixtures.jpeg(IMAGE), ImageFixtures.jpeg(IMAGE, true),
                ImageFixtures.write(IMAGE, "png"), ImageFixtures.write(IMAGE, "gif"), ImageFixtures.write(IMAGE, "bmp"),
                ImageFixtures.write(binary, "wbmp"), ImageFixtures.write(IMAGE, "tiff"), ImageFixtures.bigTiff(37, 23, 0),
                WebpFixtures.solidLossless(37, 23, -1), WebpFixtures.animated(37, 23, List.of(-1, -1)));

        for (byte[] image : images) {
            assertSameFromFile(image);
        }
    }

    @Test
    void frames_spread_over_many_blocks_are_all_counted_from_a_file() throws IOException {
        BufferedImage noise = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                noise.setRGB(x, y, random.nextInt());
            }
        }
        byte[] gif = ImageFixtures.animatedGif(Collections.nCopies(40, noise));
        assertThat(gif.length).as("larger than the blocks cached").isGreaterThan(4 * 16 * 1024);

        assertThat(fromFile(gif).frames()).isEqualTo(40);
        assertSameFromFile(gif);
    }

    @Test
    void a_frame_header_after_megabytes_of_segments_is_found_in_a_file() throws IOException {
        byte[] file = ImageFixtures.jpeg(IMAGE);
        byte[] comment = new byte[0xFFFF - 2];
        Arrays.fill(comment, (byte) 'c');
        for (int i = 0; i < 40; i++) {
            file = ImageFixtures.withJpegSegment(file, 0xFE, comment);
        }
        assertThat(file.length).as("the frame header lies megabytes in").isGreaterThan(2_000_000);

        assertSameFromFile(file);
        assertThat(fromFile(file).width()).isEqualTo(37);
    }

    @Test
    void a_truncated_file_is_refused_as_its_bytes_are() throws IOException {
        byte[] png = ImageFixtures.write(IMAGE, "png");

        assertSameFromFile(Arrays.copyOf(png, 20));
        assertSameFromFile(new byte[0]);
        assertSameFromFile("<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes());
    }

    @Test
    void every_corpus_file_reads_the_same_from_a_file_as_from_memory() throws IOException {
        Path root = Corpus.root();
        assumeTrue(root != null, "THUMBNAIL_CORPUS is not set");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".tsv"))
                    .filter(f -> !f.getFileName().toString().endsWith(".md")).toList();
        }
        assertThat(files).as("corpus files").isNotEmpty();
        for (Path file : files) {
            assertSameFromFile(Files.readAllBytes(file));
        }
    }

    private void assertSameFromFile(byte[] data) throws IOException {
        assertThat(describe(() -> fromFile(data))).as("read from a file")
                .isEqualTo(describe(() -> SourceCheck.header(ImageBytes.of(data), Limits.defaults())));
    }

    private ImageHeader fromFile(byte[] data) throws IOException {
        Path file = Files.write(dir.resolve("image-" + System.nanoTime()), data);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return SourceCheck.header(ImageBytes.of(channel), Limits.defaults());
        }
    }

    private interface HeaderRead {
        ImageHeader read() throws IOException;
    }

    private static String describe(HeaderRead read) throws IOException {
        try {
            return read.read().toString();
        } catch (ThumbnailException e) {
            return e.code() + ": " + e.getMessage();
        }
    }
}
