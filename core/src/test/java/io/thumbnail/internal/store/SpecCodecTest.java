package io.thumbnail.internal.store;

import io.thumbnail.FocalPoint;
import io.thumbnail.Fit;
import io.thumbnail.Gravity;
import io.thumbnail.OutputFormat;
import io.thumbnail.ThumbnailSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpecCodecTest {
    @Test
    void every_field_survives_the_round_trip() {
        ThumbnailSpec spec = new ThumbnailSpec(120, 80, Fit.COVER, OutputFormat.PNG, 70, true, 0x00ff08);

        assertThat(SpecCodec.decode(SpecCodec.encode(spec))).isEqualTo(spec);
    }

    @Test
    void missing_side_survives_the_round_trip() {
        ThumbnailSpec spec = ThumbnailSpec.height(64);

        assertThat(SpecCodec.decode(SpecCodec.encode(spec))).isEqualTo(spec);
    }

    @Test
    void webp_formats_and_a_default_quality_survive_the_round_trip() {
        for (OutputFormat format : new OutputFormat[] {OutputFormat.WEBP, OutputFormat.AUTO_WEBP}) {
            ThumbnailSpec spec = ThumbnailSpec.box(64, 64).withFormat(format);

            assertThat(SpecCodec.decode(SpecCodec.encode(spec))).as(format.id()).isEqualTo(spec);
        }
    }

    @Test
    void a_default_quality_differs_from_the_same_number_named() {
        assertThat(SpecCodec.encode(ThumbnailSpec.box(10, 10))).contains(";q=-;")
                .isNotEqualTo(SpecCodec.encode(ThumbnailSpec.box(10, 10).withQuality(85)));
    }

    @Test
    void a_spec_stored_with_a_quality_reads_back_with_it() {
        ThumbnailSpec stored = SpecCodec.decode("w=100;h=100;fit=contain;format=auto;q=85;upscale=false;bg=ffffff");

        assertThat(stored.quality()).isEqualTo(85);
    }

    @Test
    void equal_specs_encode_equally_and_different_ones_differently() {
        assertThat(SpecCodec.encode(ThumbnailSpec.box(10, 10))).isEqualTo(SpecCodec.encode(ThumbnailSpec.box(10, 10)));
        assertThat(SpecCodec.encode(ThumbnailSpec.box(10, 10)))
                .isNotEqualTo(SpecCodec.encode(ThumbnailSpec.box(10, 10).withBackground(0)));
    }

    @Test
    void gravity_and_focus_survive_the_round_trip() {
        ThumbnailSpec cover = ThumbnailSpec.box(120, 80).withFit(Fit.COVER);
        for (Gravity gravity : Gravity.values()) {
            ThumbnailSpec spec = cover.withGravity(gravity);
            assertThat(SpecCodec.decode(SpecCodec.encode(spec))).as(gravity.id()).isEqualTo(spec);
        }
        ThumbnailSpec focused = cover.withFocus(new FocalPoint(1 / 3.0, 0.05));

        assertThat(SpecCodec.decode(SpecCodec.encode(focused))).isEqualTo(focused);
    }

    @Test
    void a_centre_crop_encodes_as_specs_did_before_crops_could_be_placed() {
        ThumbnailSpec cover = ThumbnailSpec.box(120, 80).withFit(Fit.COVER);

        assertThat(SpecCodec.encode(cover)).isEqualTo("w=120;h=80;fit=cover;format=auto;q=-;upscale=false;bg=ffffff");
        assertThat(SpecCodec.encode(cover.withGravity(Gravity.SMART))).endsWith(";bg=ffffff;gravity=smart");
        assertThat(SpecCodec.encode(cover.withFocus(new FocalPoint(0.25, 1)))).endsWith(";bg=ffffff;focus=0.25,1");
    }

    @Test
    void a_spec_stored_before_crops_could_be_placed_reads_back_as_a_centre_crop() {
        ThumbnailSpec stored = SpecCodec.decode("w=200;h=200;fit=cover;format=jpeg;q=-;upscale=false;bg=ffffff");

        assertThat(stored.gravity()).isEqualTo(Gravity.CENTER);
        assertThat(stored.focus()).isNull();
    }

    @Test
    void background_is_six_hex_digits() {
        assertThat(SpecCodec.encode(ThumbnailSpec.box(1, 1).withBackground(0x0000ab))).endsWith(";bg=0000ab");
    }
}
