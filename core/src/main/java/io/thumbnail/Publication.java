package io.thumbnail;

import java.util.Objects;

/**
 * Where a job's thumbnail is published once made, and how that went. Publishing is a step after the thumbnail: its
 * failure never fails the job.
 *
 * @param target     the destination's wire name, for example {@code imgur}
 * @param link       the public URL of the published image, or null until published
 * @param deletehash the secret that deletes it again (Imgur's deletehash), or null (until published, or where the
 *                   destination has none)
 * @param error      why publishing failed ({@code publish_failed}), or null
 */
public record Publication(String target, String link, String deletehash, JobError error) {
    /** Imgur's target name (the publisher built in). */
    public static final String IMGUR = "imgur";

    public Publication {
        Objects.requireNonNull(target, "target");
    }

    /** Asked for, not done yet. */
    public static Publication pending(String target) {
        return new Publication(target, null, null, null);
    }

    /** Published at {@code link}; {@code deletehash} deletes it again, or is null where there is no such secret. */
    public static Publication published(String target, String link, String deletehash) {
        Objects.requireNonNull(link, "link");
        return new Publication(target, link, deletehash, null);
    }

    /** Publishing failed for {@code error}. */
    public static Publication failed(String target, JobError error) {
        Objects.requireNonNull(error, "error");
        return new Publication(target, null, null, error);
    }

    /** Neither published nor failed yet. */
    public boolean isPending() {
        return link == null && error == null;
    }

    public boolean isPublished() {
        return link != null;
    }
}
