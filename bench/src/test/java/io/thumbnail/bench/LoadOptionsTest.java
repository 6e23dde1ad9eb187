package io.thumbnail.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadOptionsTest {

    @Test
    void uploads_are_multipart_forms_unless_raw_is_asked() {
        assertThat(LoadOptions.parse(new String[] {"photos"}).raw()).as("without --raw").isFalse();
        assertThat(LoadOptions.parse(new String[] {"--raw", "photos"}).raw()).as("with --raw").isTrue();
    }

    @Test
    void raw_and_wait_in_upload_combine() {
        LoadOptions o = LoadOptions.parse(new String[] {"--raw", "--wait-in-upload", "photos"});

        assertThat(o.raw()).as("raw").isTrue();
        assertThat(o.waitInUpload()).as("wait in upload").isTrue();
    }

    @Test
    void an_unknown_option_is_refused_naming_it() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--rawr", "x"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown option --rawr");
    }
}
