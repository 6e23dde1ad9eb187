package io.thumbnail.internal.keys;

import io.thumbnail.internal.store.JobStore;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Objects;

/**
 * Keys derived from one random secret the job store keeps ({@value #SECRET_NAME}): the key for a purpose is
 * HMAC-SHA256 over the purpose's name, keyed with the secret. Each purpose gets a key of its own (a URL signature can
 * never pass as a webhook's), none reveals the secret or another purpose's key, and all of them stay the same as long
 * as the store does: every node sharing a database derives the same keys. The secret is made on first use and read
 * once per service.
 */
public final class ServiceKeys {
    static final String SECRET_NAME = "service";
    private static final String HMAC = "HmacSHA256";

    private final JobStore store;
    private final Clock clock;
    private volatile byte[] secret;

    public ServiceKeys(JobStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The 32-byte key for {@code purpose} (such as {@code url-signing}).
     *
     * @throws IllegalArgumentException for a blank purpose
     */
    public byte[] derive(String purpose) {
        if (purpose == null || purpose.isBlank()) {
            throw new IllegalArgumentException("a key's purpose must be named, such as url-signing (was '"
                    + purpose + "')");
        }
        return hmac(secret(), purpose.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] secret() {
        byte[] kept = secret;
        if (kept == null) {
            // Two threads may both read it on first use: the store answers both with the same bytes.
            kept = store.secret(SECRET_NAME, clock.instant());
            secret = kept;
        }
        return kept;
    }

    /** HMAC-SHA256 of {@code message} keyed with {@code key}. */
    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has " + HMAC, e);
        }
    }
}
