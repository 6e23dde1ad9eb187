package io.thumbnail.server.internal.security;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeysTest {
    static String sha256(String key) {
        return HexFormat.of().formatHex(ApiKeys.sha256(key));
    }

    @Test
    void a_presented_key_is_known_by_the_name_its_hash_is_stored_under() {
        ApiKeys keys = ApiKeys.parse("alice:" + sha256("k-alice") + "\nbob:" + sha256("k-bob") + "\n", "keys.txt");

        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.nameOf("k-alice")).hasValue("alice");
        assertThat(keys.nameOf("k-bob")).hasValue("bob");
        assertThat(keys.nameOf("k-carol")).as("an unknown key").isEmpty();
        assertThat(keys.nameOf("")).as("an empty key").isEmpty();
    }

    @Test
    void comments_blank_lines_spaces_and_upper_case_hex_are_allowed_in_a_file() {
        ApiKeys keys = ApiKeys.parse("# team keys\n\n  alice : " + sha256("k").toUpperCase() + "  \r\n", "keys.txt");

        assertThat(keys.nameOf("k")).hasValue("alice");
    }

    @Test
    void a_bad_line_is_reported_with_its_number() {
        assertThatThrownBy(() -> ApiKeys.parse("# ok\nalice:" + sha256("a") + "\nbob:not-a-hash\n", "keys.txt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("keys.txt line 3:")
                .hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> ApiKeys.parse("no colon here", "keys.txt"))
                .hasMessageStartingWith("keys.txt line 1:")
                .hasMessageContaining("name:sha256-hex");
        assertThatThrownBy(() -> ApiKeys.parse("bad name!:" + sha256("a"), "keys.txt"))
                .hasMessageStartingWith("keys.txt line 1:");
    }

    @Test
    void a_name_or_hash_given_twice_is_refused() {
        assertThatThrownBy(() -> ApiKeys.parse("a:" + sha256("1") + "\na:" + sha256("2"), "keys.txt"))
                .hasMessageContaining("'a' appears twice");
        assertThatThrownBy(() -> ApiKeys.parse("a:" + sha256("1") + "\nb:" + sha256("1"), "keys.txt"))
                .hasMessageContaining("same hash");
    }

    @Test
    void the_environment_form_separates_entries_by_commas_or_newlines() {
        ApiKeys keys = ApiKeys.parseList("a:" + sha256("1") + ", b:" + sha256("2") + "\nc:" + sha256("3"), "THUMBNAIL_API_KEYS");

        assertThat(keys.size()).isEqualTo(3);
        assertThat(keys.nameOf("3")).hasValue("c");
        assertThatThrownBy(() -> ApiKeys.parseList("a:" + sha256("1") + ",oops", "THUMBNAIL_API_KEYS"))
                .hasMessageStartingWith("THUMBNAIL_API_KEYS entry 2:");
    }

    @Test
    void keys_from_a_file_and_the_environment_combine_with_unique_names() {
        ApiKeys file = ApiKeys.parse("a:" + sha256("1"), "keys.txt");

        assertThat(file.and(ApiKeys.parseList("b:" + sha256("2"), "env")).size()).isEqualTo(2);
        assertThatThrownBy(() -> file.and(ApiKeys.parseList("a:" + sha256("2"), "env")))
                .hasMessageContaining("'a' appears twice");
    }

    @Test
    void a_single_hash_matches_only_its_own_key() {
        byte[] hash = ApiKeys.parseHash(sha256("metrics"), "--metrics-key-sha256");

        assertThat(ApiKeys.matches("metrics", hash)).isTrue();
        assertThat(ApiKeys.matches("metric", hash)).isFalse();
        assertThatThrownBy(() -> ApiKeys.parseHash("abc", "--metrics-key-sha256"))
                .hasMessageStartingWith("--metrics-key-sha256 must be");
    }
}
