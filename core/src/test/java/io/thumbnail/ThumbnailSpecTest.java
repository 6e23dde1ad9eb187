package io.thumbnail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ThumbnailSpecTest {
    @Test
    void defaults_are_contain_auto_each_formats_quality_white_no_upscaling() {
        ThumbnailSpec spec = ThumbnailSpec.box(100, 80);

        assertThat(spec.fit()).isEqualTo(Fit.CONTAIN);
        assertThat(spec.format()).isEqualTo(OutputFormat.AUTO);
        assertThat(spec.quality()).as("no quality named").isNull();
        assertThat(spec.background()).isEqualTo(0xFFFFFF);
        assertThat(spec.upscale()).isFalse();
    }

    @Test
    void the_background_is_shown_as_six_lower_case_hex_digits() {
        assertThat(ThumbnailSpec.box(10, 10).withBackground(0x000000).backgroundHex()).isEqualTo("#000000");
        assertThat(ThumbnailSpec.box(10, 10).withBackground(0x0A0B0C).backgroundHex()).isEqualTo("#0a0b0c");
        assertThat(ThumbnailSpec.box(10, 10).withBackground(0xFFFFFF).backgroundHex()).isEqualTo("#ffffff");
        assertThat(ThumbnailSpec.parseColor(ThumbnailSpec.box(10, 10).withBackground(0x12AB00).backgroundHex()))
                .as("what it shows parses back").isEqualTo(0x12AB00);
    }

    @Test
    void without_a_quality_jpeg_is_written_at_85_and_webp_at_82() {
        ThumbnailSpec spec = ThumbnailSpec.box(100, 80);

        assertThat(spec.qualityFor(ImageFormat.JPEG)).isEqualTo(85);
        assertThat(spec.qualityFor(ImageFormat.WEBP)).isEqualTo(82);
    }

    @Test
    void a_named_quality_holds_for_every_format() {
        ThumbnailSpec spec = ThumbnailSpec.box(100, 80).withQuality(60);

        assertThat(spec.qualityFor(ImageFormat.JPEG)).isEqualTo(60);
        assertThat(spec.qualityFor(ImageFormat.WEBP)).isEqualTo(60);
    }

    @Test
    void formats_parse_by_their_wire_names_in_any_case() {
        assertThat(OutputFormat.parse("WebP")).isEqualTo(OutputFormat.WEBP);
        assertThat(OutputFormat.parse("auto-webp")).isEqualTo(OutputFormat.AUTO_WEBP);
        assertThat(OutputFormat.parse("jpg")).isEqualTo(OutputFormat.JPEG);
        for (OutputFormat format : OutputFormat.values()) {
            assertThat(OutputFormat.parse(format.id())).as(format.id()).isEqualTo(format);
        }
    }

    @Test
    void naming_no_size_means_the_default_100x100_box() {
        ThumbnailSpec unsized = new ThumbnailSpec(null, null, null, null, null, false, 0xFFFFFF);

        assertThat(unsized).as("no size, every other option at its default").isEqualTo(ThumbnailSpec.defaults());
        assertThat(ThumbnailSpec.defaults()).isEqualTo(ThumbnailSpec.box(100, 100));
    }

    @Test
    void naming_no_size_keeps_the_other_options_and_cover_fills_the_default_box() {
        ThumbnailSpec cover = new ThumbnailSpec(null, null, Fit.COVER, OutputFormat.PNG, 70, false, 0x000000);

        assertThat(cover).isEqualTo(ThumbnailSpec.box(100, 100).withFit(Fit.COVER).withFormat(OutputFormat.PNG)
                .withQuality(70).withBackground(0x000000));
    }

    @Test
    void width_out_of_range_is_refused_with_the_allowed_range() {
        assertInvalid(() -> ThumbnailSpec.box(0, 100), "width", "between 1 and 32768");
        assertInvalid(() -> ThumbnailSpec.width(40_000), "width", "between 1 and 32768");
    }

    @Test
    void height_out_of_range_is_refused_with_the_allowed_range() {
        assertInvalid(() -> ThumbnailSpec.height(-5), "height", "between 1 and 32768");
    }

    @Test
    void quality_outside_1_to_100_is_refused() {
        assertInvalid(() -> ThumbnailSpec.box(10, 10).withQuality(0), "quality", "between 1 and 100");
        assertInvalid(() -> ThumbnailSpec.box(10, 10).withQuality(101), "quality", "between 1 and 100");
    }

    @Test
    void background_that_is_not_an_rgb_colour_is_refused() {
        assertInvalid(() -> ThumbnailSpec.box(10, 10).withBackground(0x1000000), "background", "0x000000-0xFFFFFF");
        assertInvalid(() -> ThumbnailSpec.parseColor("#12345"), "background", "#ffffff");
    }

    @Test
    void cover_and_fill_need_both_sides() {
        assertInvalid(() -> ThumbnailSpec.width(100).withFit(Fit.COVER), "fit cover", "both width and height");
        assertInvalid(() -> ThumbnailSpec.height(100).withFit(Fit.FILL), "fit fill", "both width and height");
    }

    @Test
    void unknown_fit_and_format_names_list_the_allowed_ones() {
        assertInvalid(() -> Fit.parse("stretch"), "fit", "contain, cover, fill");
        assertInvalid(() -> OutputFormat.parse("gif"), "format", "auto, jpeg, png, webp, auto-webp");
    }

    @Test
    void a_cover_crop_keeps_the_centre_unless_told_otherwise() {
        ThumbnailSpec cover = ThumbnailSpec.box(100, 100).withFit(Fit.COVER);

        assertThat(cover.gravity()).isEqualTo(Gravity.CENTER);
        assertThat(cover.focus()).isNull();
        assertThat(new ThumbnailSpec(100, 100, Fit.COVER, null, null, false, 0xFFFFFF, null, null)).isEqualTo(cover);
    }

    @Test
    void gravities_parse_by_their_wire_names_in_any_case() {
        for (Gravity gravity : Gravity.values()) {
            assertThat(Gravity.parse(gravity.id().toUpperCase(java.util.Locale.ROOT))).as(gravity.id()).isEqualTo(gravity);
        }
        assertThat(Gravity.parse("centre")).isEqualTo(Gravity.CENTER);
        assertInvalid(() -> Gravity.parse("top"), "gravity",
                "center, north, south, east, west, northeast, northwest, southeast, southwest, smart");
    }

    @Test
    void a_focal_point_parses_from_x_comma_y_and_prints_back_the_same() {
        assertThat(FocalPoint.parse("0.25,0.4")).isEqualTo(new FocalPoint(0.25, 0.4));
        assertThat(FocalPoint.parse(" 1 , .5 ")).isEqualTo(new FocalPoint(1, 0.5));
        assertThat(new FocalPoint(0.0001, 1).toString()).isEqualTo("0.0001,1");
        assertThat(FocalPoint.parse(new FocalPoint(1 / 3.0, 0).toString())).isEqualTo(new FocalPoint(1 / 3.0, 0));
    }

    @Test
    void a_focal_point_outside_the_image_or_malformed_is_refused() {
        assertInvalid(() -> new FocalPoint(1.2, 0.5), "focus", "between 0 and 1");
        assertInvalid(() -> new FocalPoint(0.5, -0.1), "focus", "between 0 and 1");
        assertInvalid(() -> new FocalPoint(Double.NaN, 0.5), "focus", "between 0 and 1");
        assertInvalid(() -> FocalPoint.parse("1.5,0.5"), "focus", "between 0 and 1");
        for (String bad : new String[] {"0.5", "0.5;0.5", "a,b", "-0.1,0.5", "0x1p-1,0", "1e-3,0", ""}) {
            assertInvalid(() -> FocalPoint.parse(bad), "focus", "X,Y");
        }
    }

    @Test
    void gravity_and_focus_need_fit_cover() {
        assertInvalid(() -> ThumbnailSpec.box(100, 100).withGravity(Gravity.SMART), "gravity smart", "fit cover");
        assertInvalid(() -> ThumbnailSpec.box(100, 100).withFit(Fit.FILL).withGravity(Gravity.NORTH), "gravity north",
                "fit cover");
        assertInvalid(() -> ThumbnailSpec.box(100, 100).withFocus(FocalPoint.center()), "focus", "fit cover");
        assertInvalid(() -> ThumbnailSpec.box(100, 100).withFit(Fit.COVER).withGravity(Gravity.SMART)
                .withFit(Fit.CONTAIN), "gravity smart", "fit cover");
    }

    @Test
    void gravity_and_focus_together_are_refused() {
        assertInvalid(() -> ThumbnailSpec.box(100, 100).withFit(Fit.COVER).withGravity(Gravity.SMART)
                .withFocus(new FocalPoint(0.2, 0.3)), "gravity", "not both");
    }

    @Test
    void colours_parse_in_long_and_short_form() {
        assertThat(ThumbnailSpec.parseColor("#336699")).isEqualTo(0x336699);
        assertThat(ThumbnailSpec.parseColor("fff")).isEqualTo(0xFFFFFF);
    }

    private static void assertInvalid(Executable construction, String field, String allowed) {
        ThumbnailException e = catchThrowableOfType(ThumbnailException.class, construction::execute);
        assertThat(e).as("a ThumbnailException for a bad " + field).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SPEC);
        assertThat(e.getMessage()).as("the message names the field and what is allowed")
                .contains(field).contains(allowed);
    }

    @Test
    void a_null_fit_format_or_gravity_is_refused_naming_it_rather_than_taken_for_the_default() {
        ThumbnailSpec spec = ThumbnailSpec.box(100, 100).withFit(Fit.COVER);

        assertThatThrownBy(() -> spec.withFit(null)).as("withFit(null)")
                .isInstanceOf(NullPointerException.class).hasMessage("fit");
        assertThatThrownBy(() -> spec.withFormat(null)).as("withFormat(null)")
                .isInstanceOf(NullPointerException.class).hasMessage("format");
        assertThatThrownBy(() -> spec.withGravity(null)).as("withGravity(null)")
                .isInstanceOf(NullPointerException.class).hasMessage("gravity");
    }
}
