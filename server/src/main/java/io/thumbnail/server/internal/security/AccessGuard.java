package io.thumbnail.server.internal.security;

import io.thumbnail.server.internal.api.Paths;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Who may call what. With API keys configured every {@code /api} request needs {@code Authorization: Bearer <key>},
 * and the key's name becomes the request's owner; without keys the API is open and requests have no owner.
 * {@code /metrics} takes its own key when one is set, else any API key, else nothing. Failed keys are limited per
 * client address ({@link AuthFailureLimit}). Requests to the API are then rate limited per owner, or per client
 * address when open, in two buckets: submissions ({@code POST}: uploads, URL jobs, batches), which cost work, and
 * everything else (status, lists, files, deletes), which is cheap and limited far above what a polling script needs.
 *
 * <p>A thumbnail file requested with {@code expires} and {@code signature} ({@link UrlSigner}) is let through by its
 * signature alone, with no owner (the signature names the job), whether keys are configured or not; an API key it
 * carries is not looked at. A signature that does not hold counts as a failed key against the address.
 */
public final class AccessGuard {
    private static final String OWNER = "thumbnail.owner";
    private static final String CLIENT = "thumbnail.client";
    private static final String SIGNED_UNTIL = "thumbnail.signed-until";
    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer");

    private final ApiKeys keys;
    private final byte[] metricsKeySha256;
    private final RateLimiter submits;
    private final RateLimiter reads;
    private final AuthFailureLimit authFailures;
    private final Supplier<UrlSigner> signer;

    /**
     * @param metricsKeySha256 the SHA-256 of the key {@code /metrics} takes, or null
     * @param submits          the rate limiter of submissions, or null for none
     * @param reads            the rate limiter of every other API request, or null for none
     * @param authFailures     the limit on failed keys per address, or null for none
     * @param signer           checks signed file URLs (asked for at the first one: it may need the open service)
     */
    public AccessGuard(ApiKeys keys, byte[] metricsKeySha256, RateLimiter submits, RateLimiter reads,
                       AuthFailureLimit authFailures, Supplier<UrlSigner> signer) {
        this.keys = keys;
        this.metricsKeySha256 = metricsKeySha256 == null ? null : metricsKeySha256.clone();
        this.submits = submits;
        this.reads = reads;
        this.authFailures = authFailures;
        this.signer = signer;
    }

    /** Before every {@code /api} request: authenticates, records the owner, takes a rate-limit token. */
    public void api(Context ctx) {
        String address = ClientAddress.of(ctx.req().getRemoteAddr());
        String client;
        if (isSigned(ctx)) {
            checkSignature(ctx, address);
            client = "ip:" + address;
        } else if (keys.isEmpty()) {
            client = "ip:" + address;
        } else {
            String owner = authenticate(ctx, address, keys::nameOf, "an API key");
            ctx.attribute(OWNER, owner);
            client = "key:" + owner;
        }
        ctx.attribute(CLIENT, client);
        // Signing a URL is a POST, but costs no work.
        boolean submission = ctx.method() == HandlerType.POST && !ctx.path().endsWith(Paths.SIGNED_URL);
        RateLimiter limiter = submission ? submits : reads;
        if (limiter != null) {
            OptionalLong retryAfter = limiter.acquire(client);
            if (retryAfter.isPresent()) {
                throw new RequestRefused(429, "rate_limited", "too many " + (limiter == submits ? "submissions"
                        : "requests") + "; try again in " + retryAfter.getAsLong() + " s",
                        Map.of("Retry-After", String.valueOf(retryAfter.getAsLong())));
            }
        }
    }

    /** A GET or HEAD of a thumbnail file with either part of a signature. */
    private static boolean isSigned(Context ctx) {
        return (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD)
                && (ctx.queryParam("signature") != null || ctx.queryParam("expires") != null)
                && Paths.isThumbnailFile(ctx.path());
    }

    private void checkSignature(Context ctx, String address) {
        if (authFailures != null) {
            authFailures.check(address);
        }
        try {
            ctx.attribute(SIGNED_UNTIL, signer.get().verify(ctx.path(), ctx.queryParam("expires"),
                    ctx.queryParam("signature")));
        } catch (RequestRefused refused) {
            if (authFailures != null && refused.code().equals(UrlSigner.INVALID_SIGNATURE)) {
                authFailures.recordFailure(address);
            }
            throw refused;
        }
    }

    /**
     * When the signed URL the request came with expires, in seconds since the epoch; null for a request that came
     * with a key (or to an open server) and no signature.
     */
    public static Long signedUntil(Context ctx) {
        return ctx.attribute(SIGNED_UNTIL);
    }

    /** Before {@code /metrics}. */
    public void metrics(Context ctx) {
        String address = ClientAddress.of(ctx.req().getRemoteAddr());
        if (metricsKeySha256 != null) {
            authenticate(ctx, address, key -> Optional.of(key).filter(k -> ApiKeys.matches(k, metricsKeySha256)),
                    "the metrics key");
        } else if (!keys.isEmpty()) {
            authenticate(ctx, address, keys::nameOf, "an API key");
        }
    }

    /**
     * The name {@code check} gives the request's key, or 401; a wrong key counts against the address, and an
     * address out of attempts is refused before its key is looked at.
     */
    private String authenticate(Context ctx, String address, Function<String, Optional<String>> check, String what) {
        if (authFailures != null) {
            authFailures.check(address);
        }
        Optional<String> key = bearer(ctx);
        Optional<String> name = key.flatMap(check);
        if (name.isEmpty()) {
            if (key.isPresent() && authFailures != null) {
                authFailures.recordFailure(address);
            }
            if (key.isPresent()) {
                // Says no more than that: which keys exist is nobody's business.
                throw new RequestRefused(401, "unauthorized", "the key sent is not " + what + " this server knows",
                        CHALLENGE);
            }
            if (ctx.header("Authorization") != null) {
                throw new RequestRefused(401, "unauthorized", "this needs " + what + " sent as Authorization: Bearer"
                        + " <key> (another scheme, or an empty key, was sent)", CHALLENGE);
            }
            throw unauthorized(what);
        }
        return name.get();
    }

    /**
     * The owner the request acts for: the API key's name, or null when the server runs open. The service's lookups
     * take it, so another key's job or batch is simply not found.
     */
    public static String owner(Context ctx) {
        return ctx.attribute(OWNER);
    }

    /** Who the request counts against for limits: {@code key:<name>}, or {@code ip:<address>} when open. */
    public static String client(Context ctx) {
        String client = ctx.attribute(CLIENT);
        return client != null ? client : "ip:" + ClientAddress.of(ctx.req().getRemoteAddr());
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
