package io.thumbnail.server.internal;

import io.javalin.http.Context;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who may call what. With API keys configured every {@code /api} request needs {@code Authorization: Bearer <key>},
 * and the key's name becomes the request's owner; without keys the API is open and requests have no owner.
 * {@code /metrics} takes its own key when one is set, else any API key, else nothing. Requests to the API are then
 * rate limited per owner, or per remote address when open.
 */
public final class AccessGuard {
    private static final String OWNER = "thumbnail.owner";
    private static final String CLIENT = "thumbnail.client";
    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer");

    private final ApiKeys keys;
    private final byte[] metricsKeySha256;
    private final RateLimiter limiter;

    /**
     * @param metricsKeySha256 the SHA-256 of the key {@code /metrics} takes, or null
     * @param limiter          the API's rate limiter, or null for none
     */
    public AccessGuard(ApiKeys keys, byte[] metricsKeySha256, RateLimiter limiter) {
        this.keys = keys;
        this.metricsKeySha256 = metricsKeySha256 == null ? null : metricsKeySha256.clone();
        this.limiter = limiter;
    }

    /** Before every {@code /api} request: authenticates, records the owner, takes a rate-limit token. */
    public void api(Context ctx) {
        String client;
        if (keys.isEmpty()) {
            client = "ip:" + ctx.req().getRemoteAddr();
        } else {
            String owner = bearer(ctx).flatMap(keys::nameOf).orElseThrow(() -> unauthorized("an API key"));
            ctx.attribute(OWNER, owner);
            client = "key:" + owner;
        }
        ctx.attribute(CLIENT, client);
        if (limiter != null) {
            OptionalLong retryAfter = limiter.acquire(client);
            if (retryAfter.isPresent()) {
                throw new RequestRefused(429, "rate_limited", "too many requests; try again in "
                        + retryAfter.getAsLong() + " s", Map.of("Retry-After", String.valueOf(retryAfter.getAsLong())));
            }
        }
    }

    /** Before {@code /metrics}. */
    public void metrics(Context ctx) {
        if (metricsKeySha256 != null) {
            if (bearer(ctx).filter(key -> ApiKeys.matches(key, metricsKeySha256)).isEmpty()) {
                throw unauthorized("the metrics key");
            }
        } else if (!keys.isEmpty() && bearer(ctx).flatMap(keys::nameOf).isEmpty()) {
            throw unauthorized("an API key");
        }
    }

    /** The owner the request acts for: the API key's name, or null when the server runs open. */
    public static String owner(Context ctx) {
        return ctx.attribute(OWNER);
    }

    /** Who the request counts against for limits: {@code key:<name>}, or {@code ip:<address>} when open. */
    public static String client(Context ctx) {
        String client = ctx.attribute(CLIENT);
        return client != null ? client : "ip:" + ctx.req().getRemoteAddr();
    }

    /** True when a thing owned by {@code owner} may be seen by this request. */
    public static boolean canSee(Context ctx, String owner) {
        String caller = owner(ctx);
        return caller == null || caller.equals(owner);
    }

    private static Optional<String> bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String key = header.substring(7).strip();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }

    private static RequestRefused unauthorized(String what) {
        return new RequestRefused(401, "unauthorized", "this needs " + what + ": send Authorization: Bearer <key>",
                CHALLENGE);
    }
}
