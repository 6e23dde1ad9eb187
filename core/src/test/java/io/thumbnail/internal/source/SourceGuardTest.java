package io.thumbnail.internal.source;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The guard's decisions, made without a single connection: numeric hosts are parsed, and host names go to a fixed
 * table standing in for DNS, so not even a lookup leaves the machine.
 */
class SourceGuardTest {
    private final List<String> lookups = new ArrayList<>();
    private final HostResolver table = host -> {
        lookups.add(host);
        Map<String, List<String>> answers = Map.of(
                "images.example", List.of("93.184.216.34"),
                "cdn.example", List.of("93.184.216.34", "2606:2800:220:1::1"),
                "metadata.example", List.of("169.254.169.254"),
                "split.example", List.of("93.184.216.34", "10.0.0.7"),
                "localhost", List.of("127.0.0.1"));
        List<String> answer = answers.get(host);
        if (answer == null) {
            throw new UnknownHostException(host);
        }
        List<InetAddress> out = new ArrayList<>();
        for (String literal : answer) {
            out.add(InetAddress.getByName(literal));
        }
        return out;
    };
    private final SourceGuard guard = new SourceGuard(SourcePolicy.guarded(), table);

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1/", "http://10.1.2.3/", "http://172.16.5.4/", "http://192.168.0.10/",
            "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/", "http://224.0.0.1/",
            "http://255.255.255.255/", "http://0.0.0.0/", "http://[::1]/", "http://[fd00::1]/", "http://[fe80::1]/",
            "http://[ff02::1]/", "http://[::]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
            "http://[64:ff9b::169.254.169.254]/", "http://[::127.0.0.1]/", "http://[2002:a00:1::]/"})
    void refuses_literal_addresses_in_blocked_ranges(String url) {
        assertBlocked(url, "blocked range");
        assertThat(lookups).as("literal hosts never reach the resolver").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://127.1/",
            "http://0x7f000001/", "http://017700000001/", "http://127.0.0.1./", "http://0251.0376.0251.0376/",
            "http://0xA9FEA9FE/", "HTTP://127.000.000.001/"})
    void recognises_decimal_octal_hex_and_short_spellings_of_blocked_addresses(String url) {
        assertBlocked(url, "blocked range");
        assertThat(lookups).as("numeric hosts are parsed, never resolved").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.1/", "http://[::ffff:10.0.0.1]/", "http://user@images.example/",
            "ftp://images.example/"})
    void the_checks_without_a_lookup_refuse_what_needs_none(String url) {
        assertThatThrownBy(() -> guard.checkWithoutLookup(URI.create(url))).as(url)
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_BLOCKED));
        assertThat(lookups).as("hosts sent to the resolver").isEmpty();
    }

    @Test
    void the_checks_without_a_lookup_pass_a_host_name_even_one_that_resolves_inside() {
        guard.checkWithoutLookup(URI.create("http://metadata.example/latest/"));
        guard.checkWithoutLookup(URI.create("https://images.example/cat.jpg"));

        assertThat(lookups).as("hosts sent to the resolver").isEmpty();
    }

    @Test
    void accepts_a_public_literal_and_canonicalises_its_spelling() throws Exception {
        CheckedUrl checked = guard.check("http://0x5d.0270.55330/a%20b.png?x=1#frag");

        assertThat(checked.address()).isEqualTo(InetAddress.getByName("93.184.216.34"));
        assertThat(checked.uri()).as("fetched as dotted decimal, fragment dropped")
                .hasToString("http://93.184.216.34/a%20b.png?x=1");
        assertThat(checked.port()).isEqualTo(80);
    }

    @Test
    void characters_beyond_ascii_are_sent_percent_encoded_as_utf8_not_as_question_marks() throws Exception {
        CheckedUrl checked = guard.check("http://93.184.216.34/img/caté.jpg?tag=ü");

        assertThat(checked.uri().toString()).as("the request target the client sends")
                .isEqualTo("http://93.184.216.34/img/cat%C3%A9.jpg?tag=%C3%BC");
    }

    @Test
    void resolves_a_host_name_once_and_returns_the_checked_address() throws Exception {
        CheckedUrl checked = guard.check("https://Images.Example:8443/cat.jpg");

        assertThat(lookups).containsExactly("images.example");
        assertThat(checked.address()).isEqualTo(InetAddress.getByName("93.184.216.34"));
        assertThat(checked.host()).isEqualTo("images.example");
        assertThat(checked.port()).isEqualTo(8443);
        assertThat(checked.uri()).hasToString("https://images.example:8443/cat.jpg");
    }

    @Test
    void accepts_a_name_whose_addresses_are_all_public() {
        assertThat(guard.check("http://cdn.example/").host()).isEqualTo("cdn.example");
    }

    @Test
    void refuses_a_name_that_resolves_to_the_cloud_metadata_address() {
        assertBlocked("http://metadata.example/latest/", "169.254.169.254");
    }

    @Test
    void refuses_a_name_when_any_of_its_addresses_is_blocked() {
        assertBlocked("http://split.example/", "10.0.0.7");
    }

    @Test
    void refuses_localhost_by_what_it_resolves_to() {
        assertBlocked("http://localhost:8080/", "loopback");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://images.example/a.png", "gopher://images.example/",
            "jar:http://images.example/a.jar!/x", "data:image/png;base64,AAAA", "//images.example/a.png",
            "images.example/a.png"})
    void refuses_schemes_other_than_http_and_https(String url) {
        assertBlocked(url, "only http and https");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://user@images.example/", "http://user:secret@images.example/",
            "http://images.example@127.0.0.1/", "http://@images.example/"})
    void refuses_user_info(String url) {
        assertBlocked(url, "user-info");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://1.2.3.4.5/", "http://256.0.0.1/", "http://%31%32%37.0.0.1/",
            "http://[::1/", "http://[fe80::1%25eth0]/", "http://images.example:99999/", "http:///path", "http://a b/"})
    void refuses_malformed_hosts_instead_of_guessing(String url) {
        assertThatThrownBy(() -> guard.check(url)).as(url)
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_BLOCKED));
    }

    @Test
    void reports_an_unknown_host_as_a_transient_io_error() {
        assertThatThrownBy(() -> guard.check("http://nowhere.example/"))
                .isInstanceOfSatisfying(ThumbnailException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
                    assertThat(e.code().isTransient()).isTrue();
                })
                .hasMessageContaining("nowhere.example");
    }

    @Test
    void allowing_private_sources_lifts_the_range_checks() throws Exception {
        SourceGuard open = new SourceGuard(new SourcePolicy(true, Set.of()), table);

        assertThat(open.check("http://127.1:8080/x").uri()).hasToString("http://127.0.0.1:8080/x");
        assertThat(open.check("http://[::1]/").address()).isEqualTo(InetAddress.getByName("::1"));
        assertThat(open.check("http://metadata.example/").address().getHostAddress()).isEqualTo("169.254.169.254");
    }

    @Test
    void allowing_private_sources_still_refuses_user_info_and_other_schemes() {
        SourceGuard open = new SourceGuard(new SourcePolicy(true, Set.of()), table);

        assertThatThrownBy(() -> open.check("http://u:p@127.0.0.1/")).hasMessageContaining("user-info");
        assertThatThrownBy(() -> open.check("file:///etc/hosts")).hasMessageContaining("only http and https");
    }

    @Test
    void an_allowlist_narrows_fetching_to_the_listed_hosts() {
        SourceGuard narrow = new SourceGuard(new SourcePolicy(false, Set.of("images.example", "*.cdn.example")), table);

        assertThat(narrow.check("http://images.example/a.png").host()).isEqualTo("images.example");
        assertBlocked(narrow, "http://cdn.example/", "not on the source allowlist");
        assertBlocked(narrow, "http://93.184.216.34/", "not on the source allowlist");
        assertThat(lookups).as("a host off the allowlist is not even resolved").containsExactly("images.example");
    }

    @Test
    void an_allowlisted_host_is_still_range_checked() {
        SourceGuard narrow = new SourceGuard(new SourcePolicy(false, Set.of("metadata.example")), table);

        assertBlocked(narrow, "http://metadata.example/", "link-local");
    }

    @Test
    void an_allowlist_with_private_sources_allowed_admits_only_the_listed_private_host() {
        SourceGuard local = new SourceGuard(new SourcePolicy(true, Set.of("localhost")), table);

        assertThat(local.check("http://localhost:9000/a.png").address().getHostAddress()).isEqualTo("127.0.0.1");
        assertBlocked(local, "http://127.0.0.1:9000/a.png", "not on the source allowlist");
    }

    @Test
    void wildcard_allowlist_entries_match_subdomains_only() {
        SourcePolicy policy = new SourcePolicy(false, Set.of("*.Example.com"));

        assertThat(policy.allowsHost("img.example.com")).isTrue();
        assertThat(policy.allowsHost("a.b.example.com")).isTrue();
        assertThat(policy.allowsHost("example.com")).as("the bare domain needs its own entry").isFalse();
        assertThat(policy.allowsHost("evilexample.com")).isFalse();
    }

    @Test
    void policy_rejects_allowlist_entries_that_are_not_hosts() {
        assertThatThrownBy(() -> new SourcePolicy(false, Set.of("http://example.com/")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("entries must be host names such as example.com");
    }

    private void assertBlocked(String url, String messagePart) {
        assertBlocked(guard, url, messagePart);
    }

    private static void assertBlocked(SourceGuard guard, String url, String messagePart) {
        assertThatThrownBy(() -> guard.check(url)).as("checking %s", url)
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).as("code for %s", url).isEqualTo(ErrorCode.SOURCE_BLOCKED))
                .hasMessageContaining(messagePart);
    }
}
