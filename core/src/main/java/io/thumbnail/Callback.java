package io.thumbnail;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * A webhook asked for at submit ({@link SubmitOptions#callbackUrl}) and how delivering it went. The service POSTs to
 * {@code url} once its job (or batch) is finished; a delivery that fails for a reason that may pass (no connection, a
 * timeout, a 5xx, a 429) is tried again later, and the callback stays {@link Status#PENDING pending} until it is
 * delivered or given up.
 *
 * @param url       where the callback is POSTed
 * @param status    pending until delivered or given up
 * @param attempts  how many deliveries have been tried
 * @param lastError why the last try failed (for example {@code HTTP 503}), or null
 */
public record Callback(URI url, Status status, int attempts, String lastError) {

    /** Where a callback stands. */
    public enum Status {
        /** Not delivered yet: the job is not finished, or a try failed and another is due. */
        PENDING,
        /** The receiver answered 2xx. */
        DELIVERED,
        /** Given up: the receiver refused it (a 4xx other than 429), or no try succeeded in time. */
        FAILED;

        /** The wire name: {@code pending}, {@code delivered}, {@code failed}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    public Callback {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(status, "status");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative (was " + attempts + ")");
        }
    }

    /** Asked for, not tried yet. */
    public static Callback pending(URI url) {
        return new Callback(url, Status.PENDING, 0, null);
    }

    public boolean isPending() {
        return status == Status.PENDING;
    }

    /** This callback after a try that succeeded. */
    public Callback delivered() {
        return new Callback(url, Status.DELIVERED, attempts + 1, lastError);
    }

    /** This callback after a try that failed for {@code error}, another one to come. */
    public Callback retrying(String error) {
        return new Callback(url, Status.PENDING, attempts + 1, error);
    }

    /** This callback after a try that failed for {@code error}, given up. */
    public Callback failed(String error) {
        return new Callback(url, Status.FAILED, attempts + 1, error);
    }
}
