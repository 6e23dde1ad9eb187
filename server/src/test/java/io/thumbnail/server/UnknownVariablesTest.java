package io.thumbnail.server;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Variables named like the server's own that no option reads: a misspelt one would otherwise change nothing. */
class UnknownVariablesTest {
    @Test
    void a_misspelt_variable_is_found_with_the_one_it_was_meant_to_be() {
        assertThat(UnknownVariables.in(Map.of("THUMBNAIL_WROKERS", "2")))
                .containsExactly(Map.entry("THUMBNAIL_WROKERS", Optional.of("THUMBNAIL_WORKERS")));
    }

    @Test
    void a_variable_like_no_option_is_found_without_a_guess() {
        assertThat(UnknownVariables.in(Map.of("THUMBNAIL_FAVOURITE_COLOUR", "blue")))
                .containsExactly(Map.entry("THUMBNAIL_FAVOURITE_COLOUR", Optional.empty()));
    }

    @Test
    void the_options_variables_and_other_programs_variables_are_not_reported() {
        assertThat(UnknownVariables.in(Map.of("THUMBNAIL_WORKERS", "2", "THUMBNAIL_API_KEYS", "a:b", "PATH", "/bin",
                "JAVA_HOME", "/jdk", BatchJvm.SAME_JVM, "1"))).isEmpty();
    }
}
