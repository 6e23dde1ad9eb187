package io.thumbnail;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a submit asks for beyond the image and its spec, with defaults that need nothing: no owner, not published,
 * normal priority, one thumbnail per image, no callback.
 * Options of one call travel in this one record, so that the next is a new field with a default rather than another
 * overload.
 *
 * <pre>{@code
 * service.submit(source, spec, SubmitOptions.defaults());
 * service.submit(source, spec, SubmitOptions.builder().owner("alice").publishTo(Publication.IMGUR).build());
 * service.submitAll(List.of(source), null, SubmitOptions.builder()
 *         .renditions(List.of(ThumbnailSpec.box(100, 100), ThumbnailSpec.width(1200))).build());
 * }</pre>
 *
 * @param owner      who the job belongs to (for example an API key's name): its lookups, listings, queue share and
 *                   dedupe are that owner's; null for none
 * @param publishTo  where the thumbnail is published once made: the target of a publisher registered on the service
 *                   (for example {@link Publication#IMGUR}), or null for nowhere. An unknown target is refused at submit
 * @param priority   how soon the queue serves the job (default {@link Priority#NORMAL})
 * @param renditions several thumbnails of each image, one job per spec in this order (at most
 *                   {@value #MAX_RENDITIONS}), all from one stored original, and decoded once where the pipeline can:
 *                   {@link ThumbnailService#submitAll} then takes no spec of its own. Empty (the default): one job per
 *                   image, in the spec submit is given
 * @param callbackUrl an http(s) URL POSTed to once the job is finished (for {@link ThumbnailService#submitAll}: once
 *                   the whole batch is), or null for none; see {@link Callback}. Checked by the service's SSRF guard
 *                   at submit, and again at each delivery
 */
public record SubmitOptions(String owner, String publishTo, Priority priority, List<ThumbnailSpec> renditions,
                            URI callbackUrl) {
    /** The most renditions one submit may ask for. */
    public static final int MAX_RENDITIONS = 10;
    private static final SubmitOptions DEFAULTS = new SubmitOptions(null, null, Priority.NORMAL, List.of(), null);

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
        renditions = renditions == null ? List.of() : List.copyOf(renditions);
        if (renditions.size() > MAX_RENDITIONS) {
            throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "renditions holds " + renditions.size()
                    + " specs; at most " + MAX_RENDITIONS + " are allowed");
        }
        if (callbackUrl != null) {
            String scheme = callbackUrl.getScheme() == null ? "" : callbackUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || callbackUrl.getRawAuthority() == null) {
                throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "callback_url must be an http or https URL"
                        + " such as https://example.com/hooks/thumbnails (was '" + callbackUrl + "')");
            }
        }
    }

    /** As the canonical constructor, one thumbnail per image and no callback. */
    public SubmitOptions(String owner, String publishTo, Priority priority) {
        this(owner, publishTo, priority, List.of(), null);
    }

    /** No owner, published nowhere, normal priority, one thumbnail per image, no callback. */
    public static SubmitOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().owner(owner).publishTo(publishTo).priority(priority).renditions(renditions)
                .callbackUrl(callbackUrl);
    }

    /** Whether each image is to become several thumbnails. */
    public boolean hasRenditions() {
        return !renditions.isEmpty();
    }

    /** Options set one by one; whatever is not set keeps its default. */
    public static final class Builder {
        private String owner;
        private String publishTo;
        private Priority priority = Priority.NORMAL;
        private List<ThumbnailSpec> renditions = List.of();
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

        /** Several thumbnails of each image, one job per spec in this order (default: none, one per image). */
        public Builder renditions(List<ThumbnailSpec> specs) {
            Objects.requireNonNull(specs, "specs");
            specs.forEach(spec -> Objects.requireNonNull(spec, "renditions contains null"));
            this.renditions = specs;
            return this;
        }

        /** Where to POST once the job (or batch) is finished (default: nowhere). */
        public Builder callbackUrl(URI value) {
            this.callbackUrl = value;
            return this;
        }

        public SubmitOptions build() {
            return new SubmitOptions(owner, publishTo, priority, renditions, callbackUrl);
        }
    }
}
