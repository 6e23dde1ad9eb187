package io.thumbnail;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

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

        assertThat(published).isEqualTo(new SubmitOptions("alice", "imgur", Priority.NORMAL));
        assertThat(alices.publishTo()).as("the options it was made from").isNull();
    }

    @Test
    void a_blank_owner_or_target_is_refused_naming_the_option() {
        assertThatThrownBy(() -> SubmitOptions.builder().owner(" ").build())
                .isInstanceOf(ThumbnailException.class).hasMessageContaining("owner");
        assertThatThrownBy(() -> SubmitOptions.builder().publishTo("").build())
                .isInstanceOf(ThumbnailException.class).hasMessageContaining("publishTo");
    }

    @Test
    void renditions_default_to_none_and_travel_through_the_builder() {
        List<ThumbnailSpec> sizes = List.of(ThumbnailSpec.box(100, 100), ThumbnailSpec.width(1200));

        SubmitOptions options = SubmitOptions.builder().owner("alice").renditions(sizes).build();

        assertThat(SubmitOptions.defaults().renditions()).as("default").isEmpty();
        assertThat(SubmitOptions.defaults().hasRenditions()).as("default hasRenditions").isFalse();
        assertThat(options.renditions()).as("renditions, in order").containsExactlyElementsOf(sizes);
        assertThat(options.toBuilder().build()).as("toBuilder keeps them").isEqualTo(options);
    }

    @Test
    void more_renditions_than_the_limit_are_refused_naming_them() {
        List<ThumbnailSpec> eleven = Collections.nCopies(SubmitOptions.MAX_RENDITIONS + 1, ThumbnailSpec.width(10));

        assertThatThrownBy(() -> SubmitOptions.builder().renditions(eleven).build())
                .isInstanceOf(ThumbnailException.class).hasMessageContaining("renditions")
                .hasMessageContaining("at most " + SubmitOptions.MAX_RENDITIONS);
    }
}
