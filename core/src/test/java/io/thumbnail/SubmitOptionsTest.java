package io.thumbnail;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubmitOptionsTest {
    @Test
    void the_defaults_ask_for_no_owner_and_no_publishing() {
        assertThat(SubmitOptions.defaults().owner()).as("owner").isNull();
        assertThat(SubmitOptions.defaults().publishTo()).as("publishTo").isNull();
        assertThat(SubmitOptions.builder().build()).as("an empty builder").isEqualTo(SubmitOptions.defaults());
    }

    @Test
    void the_builder_sets_what_it_is_given_and_keeps_the_rest() {
        SubmitOptions alices = SubmitOptions.builder().owner("alice").build();

        SubmitOptions published = alices.toBuilder().publishTo(Publication.IMGUR).build();

        assertThat(published).isEqualTo(new SubmitOptions("alice", "imgur", Priority.NORMAL, null));
        assertThat(alices.publishTo()).as("the options it was made from").isNull();
    }

    @Test
    void a_blank_owner_or_target_is_refused_naming_the_option() {
        assertThatThrownBy(() -> SubmitOptions.builder().owner(" ").build())
                .isInstanceOf(ThumbnailException.class).hasMessageContaining("owner");
        assertThatThrownBy(() -> SubmitOptions.builder().publishTo("").build())
                .isInstanceOf(ThumbnailException.class).hasMessageContaining("publishTo");
    }
}
