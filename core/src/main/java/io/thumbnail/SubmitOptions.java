package io.thumbnail;

/**
 * What a submit asks for beyond the image and its spec, with defaults that need nothing: no owner, not published.
 * Options of one call travel in this one record, so that the next (a priority, a callback, more sizes) is a new
 * field with a default rather than another overload.
 *
 * <pre>{@code
 * service.submit(source, spec, SubmitOptions.defaults());
 * service.submit(source, spec, SubmitOptions.builder().owner("alice").publishTo(Publication.IMGUR).build());
 * }</pre>
 *
 * @param owner     who the job belongs to (for example an API key's name): its lookups, listings, queue share and
 *                  dedupe are that owner's; null for none
 * @param publishTo where the thumbnail is published once made: the target of a publisher registered on the service
 *                  (for example {@link Publication#IMGUR}), or null for nowhere. An unknown target is refused at submit
 */
public record SubmitOptions(String owner, String publishTo) {
    private static final SubmitOptions DEFAULTS = new SubmitOptions(null, null);

    public SubmitOptions {
        if (owner != null && owner.isBlank()) {
            throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "owner must be null or not blank (was '" + owner
                    + "')");
        }
        if (publishTo != null && publishTo.isBlank()) {
            throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "publishTo must be null or a publish target such"
                    + " as imgur (was '" + publishTo + "')");
        }
    }

    /** No owner, published nowhere. */
    public static SubmitOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().owner(owner).publishTo(publishTo);
    }

    /** Options set one by one; whatever is not set keeps its default. */
    public static final class Builder {
        private String owner;
        private String publishTo;

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

        public SubmitOptions build() {
            return new SubmitOptions(owner, publishTo);
        }
    }
}
