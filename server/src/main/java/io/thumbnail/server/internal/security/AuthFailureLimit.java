package io.thumbnail.server.internal.security;

import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Bounds how fast one client address may guess API keys: each failed attempt takes a token from the address's
 * bucket ({@code maxPerMinute} of them, coming back over a minute); an address with none left is refused with 429
 * {@code rate_limited} before its key is even checked, so a correct guess cannot be told from a wrong one until a
 * token is back. Addresses that authenticate successfully take nothing.
 */
public final class AuthFailureLimit {
    private static final double SECONDS_PER_MINUTE = 60;

    private final RateLimiter failures;

    public AuthFailureLimit(int maxPerMinute, LongSupplier nanoTime) {
        this.failures = new RateLimiter(maxPerMinute / SECONDS_PER_MINUTE, maxPerMinute, nanoTime);
    }

    /** Refuses a request from an address that has used up its failed attempts. */
    public void check(String address) {
        OptionalLong retryAfter = failures.retryAfter(address);
        if (retryAfter.isPresent()) {
            long seconds = retryAfter.getAsLong();
            throw new RequestRefused(429, "rate_limited", "too many requests with a wrong key from this address; try"
                    + " again in " + seconds + " s", Map.of("Retry-After", String.valueOf(seconds)));
        }
    }

    /** Counts a failed attempt from {@code address}. */
    public void recordFailure(String address) {
        failures.acquire(address);
    }
}
