package io.thumbnail.server.internal.security;

import io.thumbnail.MutableClock;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class UrlSignerTest {
    private static final byte[] KEY = "k".repeat(32).getBytes(StandardCharsets.UTF_8);
    private static final UUID ID = UUID.fromString("7e7b34ab-5805-4e7c-b78c-d3f05e42847f");
    private static final String PATH = "/api/v1/thumbnails/" + ID + "/file";
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final UrlSigner signer = new UrlSigner(KEY, clock);

    /** A URL's two signed parts. */
    private record Parts(String expires, String signature) {
    }

    private Parts signedFor(Duration ttl) {
        String url = signer.sign(ID, ttl).url();
        return new Parts(query(url, "expires"), query(url, "signature"));
    }

    private static String query(String url, String name) {
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    private void assertInvalid(String what, String path, String expires, String signature) {
        assertThat(refusal(path, expires, signature)).as(what).isEqualTo("invalid_signature");
    }

    private String refusal(String path, String expires, String signature) {
        return catchThrowableOfType(() -> signer.verify(path, expires, signature), RequestRefused.class).code();
    }

    @Test
    void the_signature_is_hex_hmac_sha256_of_get_the_path_and_the_expiry() throws Exception {
        UrlSigner.SignedUrl signed = signer.sign(ID, Duration.ofHours(1));
        long expires = T0.getEpochSecond() + 3600;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(("GET\n" + PATH + "\n" + expires)
                .getBytes(StandardCharsets.UTF_8)));

        assertThat(UrlSigner.canonical(PATH, expires)).isEqualTo("GET\n" + PATH + "\n" + expires);
        assertThat(signed.expires()).as("expiry").isEqualTo(expires);
        assertThat(signed.url()).as("the signed URL")
                .isEqualTo(PATH + "?expires=" + expires + "&signature=" + expected);
    }

    @Test
    void a_signed_url_holds_until_the_second_it_expires() {
        Parts parts = signedFor(Duration.ofSeconds(60));
        String expires = parts.expires();
        String signature = parts.signature();

        clock.advance(Duration.ofSeconds(59));
        assertThat(signer.verify(PATH, expires, signature)).as("59 s in").isEqualTo(T0.getEpochSecond() + 60);
        clock.advance(Duration.ofSeconds(1));
        assertThat(refusal(PATH, expires, signature)).as("60 s in").isEqualTo("expired");
    }

    @Test
    void a_changed_path_expiry_or_signature_is_an_invalid_signature() {
        Parts parts = signedFor(Duration.ofHours(1));
        String expires = parts.expires();
        String signature = parts.signature();
        String lastDigitChanged = signature.substring(0, 63) + (signature.endsWith("0") ? "1" : "0");
        String firstDigitChanged = (signature.startsWith("0") ? "1" : "0") + signature.substring(1);

        assertInvalid("another id", PATH.replace(ID.toString(), UUID.randomUUID().toString()), expires, signature);
        assertInvalid("a later expiry", PATH, String.valueOf(Long.parseLong(expires) + 1), signature);
        assertInvalid("last digit changed", PATH, expires, lastDigitChanged);
        assertInvalid("first digit changed", PATH, expires, firstDigitChanged);
    }

    @Test
    void missing_or_malformed_parts_are_an_invalid_signature_never_an_error() {
        Parts parts = signedFor(Duration.ofHours(1));
        String expires = parts.expires();
        String signature = parts.signature();

        assertInvalid("no expiry", PATH, null, signature);
        assertInvalid("no signature", PATH, expires, null);
        assertInvalid("a negative expiry", PATH, "-5", signature);
        assertInvalid("an expiry too long for a number", PATH, "9".repeat(40), signature);
        assertInvalid("a short signature", PATH, expires, signature.substring(2));
        assertInvalid("not hex", PATH, expires, "zz" + signature.substring(2));
    }

    @Test
    void the_signature_is_checked_before_the_expiry_so_expired_means_genuine() {
        String url = signer.sign(ID, Duration.ofSeconds(60)).url();
        clock.advance(Duration.ofHours(1));

        assertInvalid("a forged expiry in the past", PATH, "1", query(url, "signature"));
    }

    @Test
    void uppercase_hex_is_the_same_signature() {
        String url = signer.sign(ID, Duration.ofHours(1)).url();

        assertThat(signer.verify(PATH, query(url, "expires"), query(url, "signature").toUpperCase(Locale.ROOT)))
                .isEqualTo(T0.getEpochSecond() + 3600);
    }

    @Test
    void another_key_makes_another_signature() {
        String url = signer.sign(ID, Duration.ofHours(1)).url();
        UrlSigner other = new UrlSigner("o".repeat(32).getBytes(StandardCharsets.UTF_8), clock);

        assertThatThrownBy(() -> other.verify(PATH, query(url, "expires"), query(url, "signature")))
                .isInstanceOf(RequestRefused.class).hasMessageContaining("signature does not match");
    }

    @Test
    void a_key_shorter_than_32_bytes_is_refused() {
        assertThatThrownBy(() -> new UrlSigner(new byte[31], clock)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 bytes (was 31)");
    }

    @Test
    void the_refusals_are_403() {
        RequestRefused refused = catchThrowableOfType(() -> signer.verify(PATH, "1", "0".repeat(64)),
                RequestRefused.class);

        assertThat(refused.status()).isEqualTo(403);
    }
}
