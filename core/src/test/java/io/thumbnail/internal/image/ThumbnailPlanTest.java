package io.thumbnail.internal.image;

import io.thumbnail.FocalPoint;
import io.thumbnail.Fit;
import io.thumbnail.Gravity;
import io.thumbnail.ThumbnailSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Where a cover crop sits: by gravity, by focal point, clamped inside the source. */
class ThumbnailPlanTest {
    private static final ThumbnailSpec COVER = ThumbnailSpec.box(100, 100).withFit(Fit.COVER);
    private static final int MAX = 4096;

    @ParameterizedTest(name = "{0}: crop starts at {1} of the width")
    @CsvSource({
            "center, 0.5", "north, 0.5", "south, 0.5",
            "west, 0", "northwest, 0", "southwest, 0",
            "east, 1", "northeast, 1", "southeast, 1"})
    void a_gravity_places_a_landscape_crop_along_the_width(String gravity, double anchor) {
        ThumbnailPlan plan = ThumbnailPlan.of(900, 300, COVER.withGravity(Gravity.parse(gravity)), MAX);

        assertThat(plan.cropWidth()).as("a 300 px square of 900").isCloseTo(1 / 3.0, within(1e-9));
        assertThat(plan.cropX()).as("left edge of the crop, as a fraction of the width")
                .isCloseTo(anchor * 2 / 3.0, within(1e-9));
        assertThat(plan.cropY()).as("the height is not cropped").isZero();
        assertThat(plan.cropHeight()).isEqualTo(1.0);
    }

    @ParameterizedTest(name = "{0}: crop starts at {1} of the height")
    @CsvSource({
            "center, 0.5", "east, 0.5", "west, 0.5",
            "north, 0", "northeast, 0", "northwest, 0",
            "south, 1", "southeast, 1", "southwest, 1"})
    void a_gravity_places_a_portrait_crop_along_the_height(String gravity, double anchor) {
        ThumbnailPlan plan = ThumbnailPlan.of(300, 900, COVER.withGravity(Gravity.parse(gravity)), MAX);

        assertThat(plan.cropY()).as("top edge of the crop, as a fraction of the height")
                .isCloseTo(anchor * 2 / 3.0, within(1e-9));
        assertThat(plan.cropX()).as("the width is not cropped").isZero();
    }

    @Test
    void smart_starts_as_a_centre_crop_until_the_image_is_seen() {
        ThumbnailPlan smart = ThumbnailPlan.of(900, 300, COVER.withGravity(Gravity.SMART), MAX);

        assertThat(smart).isEqualTo(ThumbnailPlan.of(900, 300, COVER, MAX));
    }

    @ParameterizedTest(name = "focus {0},{1} on 900x300: crop from x = {2}")
    @CsvSource({
            "0, 0, 0",
            "1, 1, 0.6666666666666667",
            "0.5, 0.5, 0.3333333333333333",
            "0.3, 0.9, 0.13333333333333333",
            "0.1, 0, 0",
            "0.95, 0, 0.6666666666666667"})
    void a_focal_point_centres_the_crop_on_it_as_nearly_as_the_source_allows(double x, double y, double cropX) {
        ThumbnailPlan plan = ThumbnailPlan.of(900, 300, COVER.withFocus(new FocalPoint(x, y)), MAX);

        assertThat(plan.cropX()).as("left edge of the crop").isCloseTo(cropX, within(1e-9));
        assertThat(plan.cropY()).as("the uncropped height ignores y").isZero();
        assertThat(plan.cropWidth()).isCloseTo(1 / 3.0, within(1e-9));
    }

    @ParameterizedTest(name = "focus {0},{1} on 300x900: crop from y = {2}")
    @CsvSource({"0, 0, 0", "1, 1, 0.6666666666666667", "0.5, 0.5, 0.3333333333333333", "0, 0.25, 0.08333333333333331"})
    void a_focal_point_places_a_portrait_crop_by_its_y(double x, double y, double cropY) {
        ThumbnailPlan plan = ThumbnailPlan.of(300, 900, COVER.withFocus(new FocalPoint(x, y)), MAX);

        assertThat(plan.cropY()).as("top edge of the crop").isCloseTo(cropY, within(1e-9));
        assertThat(plan.cropX()).isZero();
    }

    @Test
    void focus_at_the_centre_makes_the_centre_crop() {
        assertThat(ThumbnailPlan.of(640, 480, COVER.withFocus(FocalPoint.center()), MAX))
                .isEqualTo(ThumbnailPlan.of(640, 480, COVER, MAX));
    }

    @Test
    void a_gravity_also_places_the_crop_of_a_source_smaller_than_the_box() {
        ThumbnailPlan plan = ThumbnailPlan.of(150, 50, ThumbnailSpec.box(200, 200).withFit(Fit.COVER)
                .withGravity(Gravity.EAST), MAX);

        assertThat(plan.width()).as("the largest square in 150x50, not enlarged").isEqualTo(50);
        assertThat(plan.cropX() + plan.cropWidth()).as("right edge of the crop").isCloseTo(1, within(1e-9));
    }

    @Test
    void a_decoder_may_deliver_the_whole_source_at_the_plan_scale() {
        ThumbnailPlan cropped = ThumbnailPlan.of(900, 300, COVER, MAX);
        ThumbnailPlan whole = ThumbnailPlan.of(900, 300, ThumbnailSpec.box(100, 100), MAX);

        assertThat(cropped.whole()).isFalse();
        assertThat(cropped.decodeWidth(900) + "x" + cropped.decodeHeight(300)).as("the whole source at 1/3")
                .isEqualTo("300x100");
        assertThat(whole.whole()).isTrue();
        assertThat(whole.decodeWidth(900) + "x" + whole.decodeHeight(300)).as("the thumbnail's own size")
                .isEqualTo("100x33");
    }

    @ParameterizedTest(name = "fill {0} of 591x400, not enlarged: {1}")
    @CsvSource({"1000x1000, 400x400", "1000x100, 591x59", "100x1000, 40x400", "300x200, 300x200"})
    void fill_without_upscaling_keeps_the_boxs_shape_as_large_as_the_source(String box, String expected) {
        String[] sides = box.split("x");
        ThumbnailSpec fill = ThumbnailSpec.box(Integer.parseInt(sides[0]), Integer.parseInt(sides[1]))
                .withFit(Fit.FILL);

        ThumbnailPlan plan = ThumbnailPlan.of(591, 400, fill, MAX);

        assertThat(plan.width() + "x" + plan.height()).as("the size of fill " + box).isEqualTo(expected);
    }
}
