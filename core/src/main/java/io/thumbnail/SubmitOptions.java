package io.thumbnail;

import java.net.URI;
import java.util.Locale;

/**
 * What a submit asks for beyond the image and its spec, with defaults that need nothing: no owner, not published,
 * normal priority, no callback.
 * Options of one call travel in this one record, so that the next (more sizes) is a new field with a default rather
 * than another overload.
 *
 * <pre>{@code
 * service.submit(source, spec, SubmitOptions.defaults());
 * service.submit(source, spec, SubmitOptions.builder().owner("alice").publishTo(Publication.IMGUR).build());
 * }</pre>
 *
 * @param owner       who the job belongs to (for example an API key's name): its lookups, listings, queue share and
 *                    dedupe are that owner's; null for none
 * @param publishTo   where the thumbnail is published once made: the target of a publisher registered on the service
 *                    (for example {@link Publication#IMGUR}), or null for nowhere. An unknown target is refused at
 *                    submit
 * @param priority    how soon the queue serves the job (default {@link Priority#NORMAL})
 * @param callbackUrl an http(s) URL POSTed to once the job is finished (for {@link ThumbnailService#submitAll}: once
 *                    the whole batch is), or null for none; see {@link Callback}. Checked by the service's SSRF guard
 *                    at submit, and again at each delivery
 */
public record SubmitOptions(String owner, String publishTo, Priority priority, URI callbackUrl) {
    private static final SubmitOptions DEFAULTS = new SubmitOptions(null, null, Priority.NORMAL, null);

    public SubmitOptions {
        if (priority == null) {
            throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "priority must not be null: high, normal or low");
        }
        if (owner != null && owner.isBlank()) {
            throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "owner must be null or not blank (was '" + owner
                    + "')");
        }
        if (publishTo != null && publishTo.isBlank()) {
            throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "publishTo must be null or a publish target such"
                    + " as imgur (was '" + publishTo + "')");
        }
        if (callbackUrl != null) {
            String scheme = callbackUrl.getScheme() == null ? "" : callbackUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || callbackUrl.getRawAuthority() == null) {
                throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "callback_url must be an http or https URL"
                        + " such as https://example.com/hooks/thumbnails (was '" + callbackUrl + "')");
            }
        }
    }

    /** No owner, published nowhere, normal priority, no callback. */
    public static SubmitOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().owner(owner).publishTo(publishTo).priority(priority).callbackUrl(callbackUrl);
    }

    /** Options set one by one; whatever is not set keeps its default. */
    public static final class Builder {
        private String owner;
        private String publishTo;
        private Priority priority = Priority.NORMAL;
        private URI callbackUrl;

        private Builder() {
        }

        /** Who the job belongs to (default: no one). */
        public Builder owner(String value) {
            this.owner = value;
            return this;
        }

        /** Where the thumbnail is published once made (default: nowhere). */
        public Builder publishTo(String target) {
            this.publishTo = target;
            return this;
        }

        /** How soon the queue serves the job (default {@link Priority#NORMAL}). */
        public Builder priority(Priority value) {
            this.priority = value;
            return this;
        }

        /** Where to POST once the job (or batch) is finished (default: nowhere). */
        public Builder callbackUrl(URI value) {
            this.callbackUrl = value;
            return this;
        }

        public SubmitOptions build() {
            return new SubmitOptions(owner, publishTo, priority, callbackUrl);
        }
    }
}
