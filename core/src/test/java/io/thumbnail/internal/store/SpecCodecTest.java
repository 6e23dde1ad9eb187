package io.thumbnail.internal.store;

import io.thumbnail.Fit;
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
    void background_is_six_hex_digits() {
        assertThat(SpecCodec.encode(ThumbnailSpec.box(1, 1).withBackground(0x0000ab))).endsWith(";bg=0000ab");
    }
}
