package io.thumbnail.server.internal.security;

import io.thumbnail.server.internal.api.Paths;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * Signs thumbnail file URLs, and checks them, so that a page can put one in an {@code <img>} tag and have it load
 * without an API key until it expires. A signed URL is {@code /api/v1/thumbnails/{id}/file?expires=E&signature=S}:
 * {@code E} the expiry in seconds since the epoch, {@code S} the lowercase hex HMAC-SHA256, keyed with the signing
 * key, of the canonical string {@code "GET\n" + path + "\n" + E} (the path exactly as requested, without the query).
 * It serves GET and HEAD alike. Changing the id, the expiry or the signature breaks the signature; signatures are
 * compared in constant time.
 */
public final class UrlSigner {
    /** The shortest signing key: HMAC-SHA256 gains nothing from a key longer than its 32-byte output. */
    public static final int MIN_KEY_BYTES = 32;
    /** The longest a signed URL may live. */
    public static final Duration MAX_TTL = Duration.ofDays(7);
    /** How long a signed URL lives when the request names no time. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    /** The error code of a URL whose signature does not hold. */
    public static final String INVALID_SIGNATURE = "invalid_signature";
    /** The error code of a genuine signed URL whose time has passed. */
    public static final String EXPIRED = "expired";
    /** The purpose the service's derived signing key is asked for under. */
    public static final String KEY_PURPOSE = "url-signing";
    private static final String HMAC = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    /** A signed URL (a path and query, relative to the server) and when it stops working. */
    public record SignedUrl(String url, long expires) {
    }

    private final SecretKeySpec key;
    private final Clock clock;

    /** @throws IllegalArgumentException for a key shorter than {@value #MIN_KEY_BYTES} bytes */
    public UrlSigner(byte[] key, Clock clock) {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("a URL signing key must be at least " + MIN_KEY_BYTES
                    + " bytes (was " + key.length + ")");
        }
        this.key = new SecretKeySpec(key, HMAC);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The file URL of job {@code id}, signed to work for {@code ttl} from now (rounded up to a whole second). */
    public SignedUrl sign(UUID id, Duration ttl) {
        long expires = clock.instant().plus(ttl).getEpochSecond() + (ttl.getNano() > 0 ? 1 : 0);
        String path = Paths.thumbnailFile(id);
        return new SignedUrl(path + "?expires=" + expires + "&signature=" + HEX.formatHex(signature(path, expires)),
                expires);
    }

    /**
     * Checks a request for {@code path} carrying {@code expires} and {@code signature} (either may be null, as
     * absent). Returns the expiry once the signature holds and has not passed.
     *
     * @throws RequestRefused 403 {@code invalid_signature} when the signature does not match the path and expiry
     *                        (or either is missing or malformed); 403 {@code expired} for a genuine URL whose time has
     *                        passed
     */
    public long verify(String path, String expires, String signature) {
        long expiry = parseExpiry(expires);
        byte[] given = parseSignature(signature);
        if (expiry < 0 || given == null || !MessageDigest.isEqual(signature(path, expiry), given)) {
            throw new RequestRefused(403, INVALID_SIGNATURE, "the URL's signature does not match its path and"
                    + " expiry; ask for a new signed URL");
        }
        if (clock.instant().getEpochSecond() >= expiry) {
            throw new RequestRefused(403, EXPIRED, "the signed URL expired at " + expiry
                    + " (seconds since the epoch); ask for a new one");
        }
        return expiry;
    }

    /** Seconds from now until {@code expiry} (seconds since the epoch), 0 once it has passed. */
    public long secondsUntil(long expiry) {
        return Math.max(0, expiry - clock.instant().getEpochSecond());
    }

    /** The string a signature covers. */
    static String canonical(String path, long expires) {
        return "GET\n" + path + "\n" + expires;
    }

    private byte[] signature(String path, long expires) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(canonical(path, expires).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has " + HMAC, e);
        }
    }

    /** Seconds since the epoch, digits only; -1 for anything else. */
    private static long parseExpiry(String expires) {
        if (expires == null || expires.isEmpty() || expires.length() > 18) {
            return -1;
        }
        for (int i = 0; i < expires.length(); i++) {
            if (expires.charAt(i) < '0' || expires.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(expires);
    }

    /** The signature's bytes from lowercase or uppercase hex; null for anything else. */
    private static byte[] parseSignature(String signature) {
        if (signature == null || signature.length() != 64) {
            return null;
        }
        try {
            return HEX.parseHex(signature);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
