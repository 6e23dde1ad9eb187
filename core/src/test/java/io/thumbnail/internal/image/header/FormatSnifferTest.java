package io.thumbnail.internal.image.header;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFixtures;
import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;
import io.thumbnail.WebpFixtures;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FormatSnifferTest {
    private static final BufferedImage IMAGE = ImageFixtures.solid(8, 8, 0x336699);

    @Test
    void recognises_every_supported_format_from_its_bytes() {
        BufferedImage binary = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_BINARY);

        assertThat(FormatSniffer.sniff(ImageFixtures.jpeg(IMAGE))).isEqualTo(ImageFormat.JPEG);
        assertThat(FormatSniffer.sniff(ImageFixtures.write(IMAGE, "png"))).isEqualTo(ImageFormat.PNG);
        assertThat(FormatSniffer.sniff(ImageFixtures.write(IMAGE, "gif"))).isEqualTo(ImageFormat.GIF);
        assertThat(FormatSniffer.sniff(ImageFixtures.write(IMAGE, "bmp"))).isEqualTo(ImageFormat.BMP);
        assertThat(FormatSniffer.sniff(ImageFixtures.write(binary, "wbmp"))).isEqualTo(ImageFormat.WBMP);
        assertThat(FormatSniffer.sniff(ImageFixtures.write(IMAGE, "tiff"))).isEqualTo(ImageFormat.TIFF);
        assertThat(FormatSniffer.sniff(ImageFixtures.bigTiff(2, 2, 0))).as("BigTIFF").isEqualTo(ImageFormat.TIFF);
        assertThat(FormatSniffer.sniff(WebpFixtures.solidLossless(2, 2, -1))).isEqualTo(ImageFormat.WEBP);
    }

    @Test
    void an_empty_file_is_unsupported() {
        assertThatThrownBy(() -> FormatSniffer.sniff(new byte[0]))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT))
                .hasMessage("the file is empty");
    }

    @Test
    void html_is_unsupported_whatever_it_is_called() {
        assertUnsupported(utf8("<!DOCTYPE html><html><script>alert(1)</script></html>"), "text");
    }

    @Test
    void svg_is_unsupported_even_with_an_xml_prolog_and_leading_space() {
        assertUnsupported(utf8("  <?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "text");
        assertUnsupported(utf8("\uFEFF<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "text");
    }

    @Test
    void avif_and_heic_are_unsupported() {
        assertUnsupported(ftyp("avif"), "HEIF/AVIF");
        assertUnsupported(ftyp("heic"), "HEIF/AVIF");
    }

    @Test
    void random_bytes_are_unsupported() {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        noise[0] = 0x17; // not a signature byte of any format

        assertUnsupported(noise, "not an image");
    }

    @Test
    void a_png_signature_decides_even_when_followed_by_jpeg_bytes() {
        byte[] png = ImageFixtures.write(IMAGE, "png");

        assertThat(FormatSniffer.sniff(png)).isEqualTo(ImageFormat.PNG);
        assertThat(FormatSniffer.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xEC})).as("SOI alone")
                .isEqualTo(ImageFormat.JPEG);
    }

    private static byte[] ftyp(String brand) {
        return utf8("\0\0\0\u0018ftyp" + brand + "\0\0\0\0mif1" + brand);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertUnsupported(byte[] data, String messagePart) {
        assertThatThrownBy(() -> FormatSniffer.sniff(data))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT))
                .hasMessageContaining(messagePart)
                .as("a refusal names every format that is read")
                .hasMessageEndingWith("the formats read are JPEG, PNG, GIF, WebP, TIFF, BMP and WBMP");
    }
}
