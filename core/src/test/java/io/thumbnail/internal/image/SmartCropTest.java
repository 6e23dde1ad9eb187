package io.thumbnail.internal.image;

import io.thumbnail.CropScenes;
import io.thumbnail.Fit;
import io.thumbnail.Gravity;
import io.thumbnail.ImageFixtures;
import io.thumbnail.Limits;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.internal.image.header.ImageBytes;
import io.thumbnail.internal.image.header.ImageHeader;
import io.thumbnail.internal.image.header.SourceCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;

/** Where {@link SmartCrop} puts a cover crop, on images whose region of interest is known. */
class SmartCropTest {
    private static final ThumbnailSpec SMART = ThumbnailSpec.box(100, 100).withFit(Fit.COVER).withGravity(Gravity.SMART);

    @ParameterizedTest(name = "object centred at x = {0} of 900")
    @CsvSource({"150", "450", "750", "70", "830"})
    void the_crop_of_a_wide_image_contains_the_detailed_object_in_any_third(int cx) {
        Rectangle object = CropScenes.square(cx, 150, 120);
        BufferedImage image = CropScenes.objectOnFlat(900, 300, object);

        ThumbnailPlan plan = SmartCrop.place(plan(image), image);

        assertContains(plan.cropX() * 900, (plan.cropX() + plan.cropWidth()) * 900, object.x, object.x + object.width);
        assertThat(plan.cropY()).as("the height is not cropped").isZero();
    }

    @ParameterizedTest(name = "object centred at y = {0} of 900")
    @CsvSource({"150", "450", "750"})
    void the_crop_of_a_tall_image_contains_the_detailed_object_in_any_third(int cy) {
        Rectangle object = CropScenes.square(150, cy, 120);
        BufferedImage image = CropScenes.objectOnFlat(300, 900, object);

        ThumbnailPlan plan = SmartCrop.place(plan(image), image);

        assertContains(plan.cropY() * 900, (plan.cropY() + plan.cropHeight()) * 900, object.y, object.y + object.height);
        assertThat(plan.cropX()).as("the width is not cropped").isZero();
    }

    @Test
    void a_small_object_is_framed_in_the_middle_of_the_crop_not_against_its_side() {
        Rectangle object = CropScenes.square(200, 150, 60);
        BufferedImage image = CropScenes.objectOnFlat(900, 300, object);

        ThumbnailPlan plan = SmartCrop.place(plan(image), image);

        double cropCentre = (plan.cropX() + plan.cropWidth() / 2) * 900;
        assertThat(cropCentre).as("centre of the 300 px crop, the object's being 200").isBetween(185.0, 215.0);
    }

    @Test
    void a_flat_image_keeps_the_centre_crop() {
        BufferedImage image = ImageFixtures.solid(900, 300, CropScenes.BACKGROUND);

        assertThat(SmartCrop.place(plan(image), image)).isEqualTo(plan(image));
    }

    @Test
    void an_image_that_fits_the_box_exactly_is_left_whole() {
        BufferedImage image = CropScenes.objectOnFlat(300, 300, CropScenes.square(60, 60, 60));

        assertThat(SmartCrop.place(plan(image), image).whole()).isTrue();
    }

    @Test
    void transparent_pixels_draw_no_attention_whatever_colour_they_hide() {
        Rectangle object = CropScenes.square(750, 150, 120);
        BufferedImage scene = CropScenes.objectOnFlat(900, 300, object);
        BufferedImage image = new BufferedImage(900, 300, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 900; x++) {
                // Noise under full transparency on the left; the opaque object on the right.
                boolean hidden = x < 300;
                image.setRGB(x, y, hidden ? (x * 7919 + y * 104729) & 0xFFFFFF : 0xFF000000 | scene.getRGB(x, y));
            }
        }

        ThumbnailPlan plan = SmartCrop.place(plan(image), image);

        assertContains(plan.cropX() * 900, (plan.cropX() + plan.cropWidth()) * 900, object.x, object.x + object.width);
    }

    @Test
    void a_large_jpeg_is_cropped_from_the_reduced_image_the_dct_reader_decodes() {
        Rectangle object = CropScenes.square(2000, 400, 480);
        byte[] jpeg = ImageFixtures.jpeg(CropScenes.objectOnFlat(2400, 800, object));
        ImageHeader header = SourceCheck.header(ImageBytes.of(jpeg), Limits.defaults());
        ThumbnailPlan centred = ThumbnailPlan.of(2400, 800, SMART, Limits.defaults().maxOutputSide());

        BufferedImage decoded = ImageDecoder.decode(jpeg, header, centred.decodeWidth(2400),
                centred.decodeHeight(800), centred.whole());
        ThumbnailPlan plan = SmartCrop.place(centred, decoded);

        assertThat(decoded.getWidth()).as("width decoded for a 100 px crop of 2400x800: reduced on load")
                .isLessThanOrEqualTo(600);
        assertContains(plan.cropX() * 2400, (plan.cropX() + plan.cropWidth()) * 2400, object.x, object.x + object.width);
    }

    private static ThumbnailPlan plan(BufferedImage image) {
        return ThumbnailPlan.of(image.getWidth(), image.getHeight(), SMART, 4096);
    }

    private static void assertContains(double from, double to, int objectFrom, int objectTo) {
        assertThat(from).as("crop starts (px) before the object, which spans %d-%d; crop %.1f-%.1f", objectFrom,
                objectTo, from, to).isLessThanOrEqualTo(objectFrom);
        assertThat(to).as("crop ends (px) after the object, which spans %d-%d; crop %.1f-%.1f", objectFrom, objectTo,
                from, to).isGreaterThanOrEqualTo(objectTo);
    }
}
