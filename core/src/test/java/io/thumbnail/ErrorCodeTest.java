package io.thumbnail;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Error codes by their ids, as job records, REST bodies and the command line spell them. */
class ErrorCodeTest {

    @Test
    void every_code_is_found_by_its_id() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ErrorCode.fromId(code.id())).as(code.id()).isEqualTo(code);
        }
    }

    @Test
    void an_unknown_id_is_refused_listing_the_codes() {
        assertThatThrownBy(() -> ErrorCode.fromId("bogus")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no error code is 'bogus'; the codes are unsupported_format, corrupt_image,")
                .hasMessageNotContaining("io.thumbnail");
    }
}
