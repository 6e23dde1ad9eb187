package io.thumbnail.server.internal.security;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client (an API key's name, or a remote address when the server runs open): each request takes
 * a token, tokens come back at {@code ratePerSecond} up to {@code burst}. Time comes from an injected nanosecond
 * source, so tests move it by hand.
 */
public final class RateLimiter {
    /** Past this many tracked clients, buckets that have refilled completely (idle clients) are dropped. */
    static final int MAX_TRACKED = 10_000;
    private static final double NANOS_PER_SECOND = 1e9;

    private final double ratePerSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double ratePerSecond, int burst, LongSupplier nanoTime) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be positive and burst at least 1 (were " + ratePerSecond
                    + ", " + burst + ")");
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /**
     * Takes a token for {@code client}: empty when there was one, else how many whole seconds until there is
     * (at least 1), for {@code Retry-After}.
     */
    public OptionalLong acquire(String client) {
        long now = nanoTime.getAsLong();
        if (buckets.size() >= MAX_TRACKED && !buckets.containsKey(client)) {
            buckets.values().removeIf(b -> b.isFull(now));
        }
        return buckets.computeIfAbsent(client, c -> new Bucket(now)).take(now);
    }

    /**
     * Whether {@code client} has a token, without taking it: empty when it has, else the whole seconds until it has
     * (at least 1).
     */
    public OptionalLong retryAfter(String client) {
        Bucket bucket = buckets.get(client);
        return bucket == null ? OptionalLong.empty() : bucket.retryAfter(nanoTime.getAsLong());
    }

    /** Clients currently tracked. */
    int tracked() {
        return buckets.size();
    }

    private final class Bucket {
        private double tokens = burst;
        private long refilledAt;

        Bucket(long now) {
            this.refilledAt = now;
        }

        synchronized OptionalLong take(long now) {
            OptionalLong retryAfter = retryAfter(now);
            if (retryAfter.isEmpty()) {
                tokens -= 1;
            }
            return retryAfter;
        }

        synchronized OptionalLong retryAfter(long now) {
            refill(now);
            if (tokens >= 1) {
                return OptionalLong.empty();
            }
            double seconds = (1 - tokens) / ratePerSecond;
            return OptionalLong.of(Math.max(1, (long) Math.ceil(seconds)));
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            long elapsed = now - refilledAt;
            if (elapsed > 0) {
                tokens = Math.min(burst, tokens + elapsed / NANOS_PER_SECOND * ratePerSecond);
                refilledAt = now;
            }
        }
    }
}
