package io.thumbnail;

/**
 * Where a job's thumbnail is published once made, and how that went. Publishing is a step after the thumbnail: its
 * failure never fails the job.
 *
 * @param target     the destination's wire name, for example {@code imgur}
 * @param link       the public URL of the published image, or null until published
 * @param deletehash the secret that deletes it again (Imgur's deletehash), or null until published
 * @param error      why publishing failed ({@code publish_failed}), or null
 */
public record Publication(String target, String link, String deletehash, JobError error) {
    /** The only destination so far. */
    public static final String IMGUR = "imgur";

    /** Asked for, not done yet. */
    public static Publication pending(String target) {
        return new Publication(target, null, null, null);
    }

    public boolean isPublished() {
        return link != null;
    }
}
